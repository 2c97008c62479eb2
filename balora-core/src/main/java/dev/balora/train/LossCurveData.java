package dev.balora.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of a run's loss-curve plot, taken from the rows of its {@code metrics.jsonl} (one per optimizer step)
 * and {@code eval.jsonl} (one per evaluation).
 *
 * <p>Skipped steps (the update was not applied because the loss or a gradient was not finite) are left out of every
 * step series and counted; a null (non-finite) value in a row that was not skipped is left out of its own series.
 *
 * @param total the total (weighted) loss per step: the {@code loss} field
 * @param task the task loss per step: {@code terms.task}
 * @param terms every other logged term per step (the regularizers' unweighted values), in order of appearance
 * @param eval each evaluation metric per evaluation step, in order of appearance
 * @param steps step rows read
 * @param skippedSteps rows marked {@code skipped}
 */
public record LossCurveData(Series total, Series task, List<Series> terms, List<Series> eval, int steps,
        int skippedSteps) {

    /** The name of the task term in {@code metrics.jsonl}. */
    public static final String TASK_TERM = "task";

    /** Copies the lists. */
    public LossCurveData {
        terms = List.copyOf(terms);
        eval = List.copyOf(eval);
    }

    /**
     * One named series of finite points.
     *
     * @param name the legend name
     * @param x the optimizer steps, ascending as logged
     * @param y the values, all finite
     */
    public record Series(String name, double[] x, double[] y) {

        /** Validates that x and y pair up. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length
                        + " y values");
            }
        }

        /** Number of points. */
        public int size() {
            return x.length;
        }

        /** Whether it has no point. */
        public boolean isEmpty() {
            return x.length == 0;
        }
    }

    /** Whether the run logged any term besides the task loss (a regularized objective). */
    public boolean regularized() {
        return !terms.isEmpty();
    }

    /**
     * Reads {@code metrics.jsonl} and, when present, {@code eval.jsonl} of a run's output folder.
     *
     * @param runDir the folder the trainer wrote its logs to
     * @return the series
     * @throws IllegalArgumentException when {@code metrics.jsonl} is missing or a line is not a JSON object
     */
    public static LossCurveData read(Path runDir) {
        Path metrics = runDir.resolve("metrics.jsonl");
        Path evals = runDir.resolve("eval.jsonl");
        if (!Files.isRegularFile(metrics)) {
            throw new IllegalArgumentException("no metrics.jsonl in " + runDir);
        }
        try {
            List<String> evalLines = Files.isRegularFile(evals)
                    ? Files.readAllLines(evals, StandardCharsets.UTF_8) : List.of();
            return fromRows(Files.readAllLines(metrics, StandardCharsets.UTF_8), evalLines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metrics logs in " + runDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Extracts the series from log lines (blank lines are ignored).
     *
     * @param metricsLines lines of {@code metrics.jsonl}
     * @param evalLines lines of {@code eval.jsonl}
     * @return the series
     * @throws IllegalArgumentException naming the file and line that is not a JSON object with a step
     */
    public static LossCurveData fromRows(List<String> metricsLines, List<String> evalLines) {
        Builder total = new Builder("total loss");
        Builder task = new Builder("task loss");
        Map<String, Builder> terms = new LinkedHashMap<>();
        int rows = 0;
        int skipped = 0;
        for (int i = 0; i < metricsLines.size(); i++) {
            JsonObject o = parse(metricsLines.get(i), "metrics.jsonl", i + 1);
            if (o == null) {
                continue;
            }
            rows++;
            if (o.has("skipped") && o.get("skipped").getAsBoolean()) {
                skipped++;
                continue;
            }
            int step = o.get("step").getAsInt();
            total.add(step, number(o.get("loss")));
            JsonObject t = o.has("terms") && o.get("terms").isJsonObject() ? o.getAsJsonObject("terms")
                    : new JsonObject();
            for (Map.Entry<String, JsonElement> e : t.entrySet()) {
                Builder b = e.getKey().equals(TASK_TERM) ? task
                        : terms.computeIfAbsent(e.getKey(), Builder::new);
                b.add(step, number(e.getValue()));
            }
        }
        Map<String, Builder> metrics = new LinkedHashMap<>();
        for (int i = 0; i < evalLines.size(); i++) {
            JsonObject o = parse(evalLines.get(i), "eval.jsonl", i + 1);
            if (o == null || !o.has("metrics") || !o.get("metrics").isJsonObject()) {
                continue;
            }
            int step = o.get("step").getAsInt();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("metrics").entrySet()) {
                metrics.computeIfAbsent("dev " + e.getKey(), Builder::new).add(step, number(e.getValue()));
            }
        }
        return new LossCurveData(total.build(), task.build(), terms.values().stream().map(Builder::build).toList(),
                metrics.values().stream().map(Builder::build).toList(), rows, skipped);
    }

    private static JsonObject parse(String line, String file, int lineNumber) {
        if (line.isBlank()) {
            return null;
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(line).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " is not a JSON object: " + line, e);
        }
        if (!o.has("step") || !o.get("step").isJsonPrimitive()) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " has no step: " + line);
        }
        return o;
    }

    /** The value of a JSON number, NaN for null, a missing field or anything that is not a number. */
    private static double number(JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return Double.NaN;
        }
        return e.getAsDouble();
    }

    /** Collects the finite points of one series. */
    private static final class Builder {
        private final String name;
        private final List<double[]> points = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        void add(double x, double y) {
            if (Double.isFinite(y)) {
                points.add(new double[] {x, y});
            }
        }

        Series build() {
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = points.get(i)[0];
                y[i] = points.get(i)[1];
            }
            return new Series(name, x, y);
        }
    }
}
