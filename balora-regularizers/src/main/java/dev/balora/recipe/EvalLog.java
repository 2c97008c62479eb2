package dev.balora.recipe;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads back what eval.jsonl recorded (a resumed run's evaluation before training). */
final class EvalLog {

    private EvalLog() {}

    /** The metrics of the evaluation at {@code step}, or an empty map when the log has none. */
    static Map<String, Double> metricsAt(Path file, int step) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                if (o.get("step").getAsInt() == step) {
                    o.getAsJsonObject("metrics").entrySet().forEach(e -> out.put(e.getKey(),
                            e.getValue().isJsonNull() ? Double.NaN : e.getValue().getAsDouble()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
