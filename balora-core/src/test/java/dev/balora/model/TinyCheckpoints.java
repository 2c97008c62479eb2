package dev.balora.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: the tiny checkpoints and golden logits written by src/test/python/tiny_decoders.py. */
public final class TinyCheckpoints {

    private TinyCheckpoints() {}

    /** One golden case: ids and mask [batch][tokens], logits [batch][tokens][vocab] (float64 reference). */
    public record Case(long[][] inputIds, long[][] mask, double[][][] logits) {}

    /** The directory of a tiny checkpoint, e.g. {@code qwen2}. */
    public static Path dir(String name) {
        URL url = TinyCheckpoints.class.getResource("/tiny/" + name + "/config.json");
        if (url == null) {
            throw new IllegalStateException("test resource tiny/" + name + " is missing");
        }
        try {
            return Paths.get(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The golden cases of a tiny checkpoint, by case name. */
    public static Map<String, Case> golden(String name) {
        try {
            JsonObject root = JsonParser.parseString(Files.readString(dir(name).resolve("golden.json")))
                    .getAsJsonObject();
            Map<String, Case> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("cases").entrySet()) {
                JsonObject c = e.getValue().getAsJsonObject();
                out.put(e.getKey(), new Case(longs2(c.getAsJsonArray("input_ids")),
                        longs2(c.getAsJsonArray("attention_mask")), doubles3(c.getAsJsonArray("logits"))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[][] longs2(JsonArray a) {
        long[][] out = new long[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = a.get(i).getAsJsonArray();
            out[i] = new long[row.size()];
            for (int j = 0; j < row.size(); j++) {
                out[i][j] = row.get(j).getAsLong();
            }
        }
        return out;
    }

    /** Reads a nested JSON array of numbers, [a][b][c]. */
    public static double[][][] doubles3(JsonArray a) {
        double[][][] out = new double[a.size()][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles2(a.get(i).getAsJsonArray());
        }
        return out;
    }

    /** Reads a nested JSON array of numbers, [a][b]. */
    public static double[][] doubles2(JsonArray a) {
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = a.get(i).getAsJsonArray();
            out[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                out[i][j] = row.get(j).getAsDouble();
            }
        }
        return out;
    }

    /** Flattens [batch][tokens] into a row-major array. */
    public static long[] flat(long[][] x) {
        int w = x[0].length;
        long[] out = new long[x.length * w];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, out, i * w, w);
        }
        return out;
    }
}
