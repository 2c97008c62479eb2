package dev.balora.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;

/**
 * JSON parsing for checkpoint files with a nesting limit: gson's own tree parser recurses per level, so a
 * crafted file of a few hundred thousand brackets would end in a StackOverflowError instead of a clear error.
 */
final class JsonText {
    /** Far deeper than any header, config or index needs. */
    static final int MAX_DEPTH = 64;

    private JsonText() {}

    /**
     * Parses a whole document.
     *
     * @param text the JSON text
     * @param strict whether to refuse what JSON does not allow (comments, NaN, unquoted names)
     * @throws IOException (a {@link MalformedJsonException}) for malformed or too deeply nested text
     */
    static JsonElement parse(String text, boolean strict) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(strict ? Strictness.STRICT : Strictness.LENIENT);
        JsonElement root = read(reader, 0);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new MalformedJsonException("text after the JSON value at " + reader.getPath());
        }
        return root;
    }

    /** Reads one value from {@code reader}, which is {@code depth} levels deep already. */
    static JsonElement read(JsonReader reader, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new MalformedJsonException("nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject o = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    o.add(name, read(reader, depth + 1));
                }
                reader.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                JsonArray a = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    a.add(read(reader, depth + 1));
                }
                reader.endArray();
                return a;
            }
            case STRING -> {
                return new JsonPrimitive(reader.nextString());
            }
            case NUMBER -> {
                String number = reader.nextString();
                try {
                    return new JsonPrimitive(new BigDecimal(number));
                } catch (NumberFormatException e) {
                    // Lenient NaN / Infinity: kept as a double so that typed accessors can refuse it by name.
                    return new JsonPrimitive(Double.parseDouble(number));
                }
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new MalformedJsonException("unexpected " + reader.peek() + " at " + reader.getPath());
        }
    }
}
