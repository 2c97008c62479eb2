package dev.balora.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Typed, validated access to a {@code config.json}: every error names the file and the key.
 *
 * <p>Architecture configs ({@code BertConfig}, {@code LlamaConfig}, ...) are built with it.
 */
public final class ConfigReader {
    private final Object file;
    private final JsonObject json;

    /**
     * Wraps a parsed config.
     *
     * @param file where it came from, for messages
     * @param json the parsed object
     */
    public ConfigReader(Object file, JsonObject json) {
        this.file = file;
        this.json = json;
    }

    /** The underlying JSON. */
    public JsonObject json() {
        return json;
    }

    /** Whether the key is present and not null. */
    public boolean has(String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    private JsonElement required(String key) {
        if (!has(key)) {
            throw error(key, "is required but missing");
        }
        return json.get(key);
    }

    /** A required positive integer. */
    public int positiveInt(String key) {
        int v = asInt(key, required(key));
        if (v <= 0) {
            throw error(key, "must be positive, got " + v);
        }
        return v;
    }

    /** An optional positive integer. */
    public int positiveInt(String key, int fallback) {
        return has(key) ? positiveInt(key) : fallback;
    }

    /** An optional integer (any sign). */
    public int integer(String key, int fallback) {
        return has(key) ? asInt(key, json.get(key)) : fallback;
    }

    /** A required number. */
    public double number(String key) {
        return asDouble(key, required(key));
    }

    /** An optional number. */
    public double number(String key, double fallback) {
        return has(key) ? asDouble(key, json.get(key)) : fallback;
    }

    /** A required string. */
    public String string(String key) {
        JsonElement e = required(key);
        if (!e.isJsonPrimitive()) {
            throw error(key, "must be a string, got " + e);
        }
        return e.getAsString();
    }

    /** An optional string. */
    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    /** An optional boolean. */
    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = json.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw error(key, "must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    /** An optional nested object, or null. */
    public ConfigReader object(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement e = json.get(key);
        if (!e.isJsonObject()) {
            throw error(key, "must be an object, got " + e);
        }
        return new ConfigReader(file + " [" + key + "]", e.getAsJsonObject());
    }

    /** An error about one key, naming the file. */
    public CheckpointException error(String key, String problem) {
        return new CheckpointException(file, null, "config key \"" + key + "\" " + problem);
    }

    private int asInt(String key, JsonElement e) {
        try {
            double d = e.getAsDouble();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw error(key, "must be an integer, got " + e);
            }
            return (int) d;
        } catch (UnsupportedOperationException | NumberFormatException | IllegalStateException ex) {
            throw error(key, "must be an integer, got " + e);
        }
    }

    private double asDouble(String key, JsonElement e) {
        try {
            return e.getAsDouble();
        } catch (UnsupportedOperationException | NumberFormatException | IllegalStateException ex) {
            throw error(key, "must be a number, got " + e);
        }
    }
}
