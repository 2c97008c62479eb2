package dev.balora.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Appends one JSON object per optimizer step to {@code metrics.jsonl} (and one per evaluation to
 * {@code eval.jsonl}); non-finite numbers are written as {@code null}. A step line holds {@code loss}, each term's
 * raw value ({@code terms}), its weight ({@code lambdas}) and their product ({@code weighted}), {@code lr},
 * {@code grad_norm}, {@code seconds} and {@code tokens_per_s}, among others. Lines are flushed as they are written so a
 * crashed run keeps its history; on resume, lines past the checkpoint's step are dropped first.
 */
public final class MetricsLog implements AutoCloseable {
    private final BufferedWriter metrics;
    private final BufferedWriter evals;

    /**
     * Opens the logs in {@code dir}.
     *
     * @param dir the run's output folder
     * @param resumeStep keep only the lines of steps up to this one (0 = start afresh)
     */
    public MetricsLog(Path dir, int resumeStep) {
        Path metricsFile = dir.resolve("metrics.jsonl");
        Path evalFile = dir.resolve("eval.jsonl");
        try {
            Files.createDirectories(dir);
            truncate(metricsFile, resumeStep);
            truncate(evalFile, resumeStep);
            this.metrics = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            this.evals = Files.newBufferedWriter(evalFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics logs in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The JSON object written for a step. */
    public static JsonObject toJson(StepRecord r) {
        JsonObject o = new JsonObject();
        o.addProperty("step", r.step());
        o.addProperty("epoch", r.epoch());
        number(o, "loss", r.loss());
        JsonObject terms = new JsonObject();
        new TreeMap<>(r.terms()).forEach((k, v) -> number(terms, k, v));
        o.add("terms", terms);
        JsonObject weighted = new JsonObject();
        r.weightedTerms().forEach((k, v) -> number(weighted, k, v));
        o.add("weighted", weighted);
        JsonObject lambdas = new JsonObject();
        new TreeMap<>(r.lambdas()).forEach((k, v) -> number(lambdas, k, v));
        o.add("lambdas", lambdas);
        number(o, "lr", r.lr());
        number(o, "grad_norm", r.gradNorm());
        o.addProperty("clipped", r.clipped());
        o.addProperty("examples", r.examples());
        o.addProperty("tokens", r.tokens());
        number(o, "tokens_per_s", r.tokensPerSecond());
        number(o, "seconds", r.seconds());
        o.addProperty("skipped", r.skipped());
        return o;
    }

    /** Writes a step line. */
    public void step(StepRecord r) {
        write(metrics, toJson(r));
    }

    /** Writes an evaluation line. */
    public void eval(EvalRecord r) {
        JsonObject o = new JsonObject();
        o.addProperty("step", r.step());
        o.addProperty("epoch", r.epoch());
        o.addProperty("end_of_epoch", r.endOfEpoch());
        JsonObject m = new JsonObject();
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            number(m, e.getKey(), e.getValue());
        }
        o.add("metrics", m);
        number(o, "seconds", r.seconds());
        write(evals, o);
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, v);
        } else {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        }
    }

    private static void write(BufferedWriter w, JsonObject o) {
        try {
            w.write(o.toString());
            w.newLine();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the metrics log: " + e.getMessage(), e);
        }
    }

    private static void truncate(Path file, int keepUpToStep) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        if (keepUpToStep <= 0) {
            Files.delete(file);
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                if (o.get("step").getAsInt() <= keepUpToStep) {
                    kept.add(line);
                }
            } catch (RuntimeException e) {
                // a line cut short by a crash: drop it
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            metrics.close();
            evals.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the metrics logs: " + e.getMessage(), e);
        }
    }
}
