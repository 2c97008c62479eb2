package dev.balora.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        if (json == null) {
            throw new IllegalArgumentException("no JSON given for " + file);
        }
        this.file = file;
        this.json = json;
    }

    /**
     * Reads and wraps a {@code config.json}.
     *
     * @throws CheckpointException when the file is missing or not a JSON object
     */
    public static ConfigReader read(Path file) {
        return new ConfigReader(file, HfCheckpoint.readConfig(file));
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
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(key, "must be a string, got " + e);
        }
        return e.getAsString();
    }

    /** An optional string. */
    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    /**
     * An optional string that must be one of {@code allowed} (e.g. {@code hidden_act}).
     *
     * @throws CheckpointException naming the key, the value and the allowed values otherwise
     */
    public String oneOf(String key, String fallback, String... allowed) {
        String v = string(key, fallback);
        if (!Arrays.asList(allowed).contains(v)) {
            throw error(key, "must be one of " + Arrays.toString(allowed) + ", got \"" + v + "\"");
        }
        return v;
    }

    /**
     * An optional integer or list of integers (e.g. {@code eos_token_id}), as a list; empty when absent.
     *
     * @throws CheckpointException when the value is neither an integer nor a list of integers
     */
    public List<Integer> intList(String key) {
        List<Integer> out = new ArrayList<>();
        if (!has(key)) {
            return out;
        }
        JsonElement e = json.get(key);
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (JsonElement item : a) {
                out.add(asInt(key, item));
            }
        } else {
            out.add(asInt(key, e));
        }
        return out;
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
        if (!isNumber(e)) {
            throw error(key, "must be an integer, got " + e);
        }
        try {
            // BigDecimal keeps 7.0 (an integer written by Python as a float) while refusing 7.5 and 1e12.
            return new BigDecimal(e.getAsString()).intValueExact();
        } catch (ArithmeticException | NumberFormatException ex) {
            throw error(key, "must be an integer, got " + e);
        }
    }

    private double asDouble(String key, JsonElement e) {
        if (!isNumber(e)) {
            throw error(key, "must be a number, got " + e);
        }
        double d = e.getAsDouble();
        if (!Double.isFinite(d)) {
            throw error(key, "must be a finite number, got " + e);
        }
        return d;
    }

    private static boolean isNumber(JsonElement e) {
        return e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
    }
}
