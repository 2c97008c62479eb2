package dev.balora.compare;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.balora.checkpoint.AtomicFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The content of {@code compare.json}: the settings passed in, the inference settings, per metric the summaries and
 * paired comparisons against the baseline, and every run.
 *
 * <p>A statistic that is not defined (the spread of a single seed, an infinite t) is written as {@code null}.
 */
public final class CompareJson {
    private CompareJson() {}

    /**
     * The report as JSON.
     *
     * @param report the report
     * @return a new object
     */
    public static JsonObject toJson(CompareReport report) {
        JsonObject root = new JsonObject();
        root.add("settings", report.settings());
        root.addProperty("baseline", report.baseline());
        root.add("methods", strings(report.methods()));
        JsonArray seeds = new JsonArray();
        report.seeds().forEach(seeds::add);
        root.add("seeds", seeds);
        InferenceSettings inf = report.inference();
        JsonObject inference = new JsonObject();
        inference.addProperty("confidence_level", inf.level());
        inference.addProperty("paired_test", "two-sided paired t-test");
        inference.addProperty("significance_level", inf.alpha());
        inference.addProperty("bootstrap", "paired percentile bootstrap of the mean difference");
        inference.addProperty("bootstrap_resamples", inf.resamples());
        inference.addProperty("bootstrap_seed", inf.bootstrapSeed());
        root.add("inference", inference);
        JsonObject metrics = new JsonObject();
        for (MetricComparison m : report.metrics()) {
            metrics.add(m.metric(), metric(m));
        }
        root.add("metrics", metrics);
        JsonArray runs = new JsonArray();
        for (RunOutcome r : report.runs()) {
            JsonObject run = new JsonObject();
            run.addProperty("method", r.method());
            run.addProperty("seed", r.seed());
            JsonObject values = new JsonObject();
            for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
                values.addProperty(e.getKey(), e.getValue());
            }
            run.add("metrics", values);
            runs.add(run);
        }
        root.add("runs", runs);
        return root;
    }

    /**
     * Writes {@code compare.json} atomically, pretty-printed.
     *
     * @param report the report
     * @param file the file to write
     */
    public static void write(CompareReport report, Path file) {
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(toJson(report)) + "\n");
    }

    private static JsonObject metric(MetricComparison m) {
        JsonObject o = new JsonObject();
        o.addProperty("direction", m.direction().key());
        JsonArray summaries = new JsonArray();
        for (Summary s : m.summaries()) {
            JsonObject j = new JsonObject();
            j.addProperty("method", s.method());
            j.addProperty("n", s.n());
            j.addProperty("mean", s.mean());
            Optional<Summary.Spread> sp = s.spread();
            j.add("std", sp.map(x -> num(x.std())).orElse(JsonNull.INSTANCE));
            j.add("standard_error", sp.map(x -> num(x.standardError())).orElse(JsonNull.INSTANCE));
            j.add("ci", sp.map(x -> interval(x.ci())).orElse(JsonNull.INSTANCE));
            j.add("values", numbers(s.valueArray()));
            summaries.add(j);
        }
        o.add("summaries", summaries);
        JsonArray comparisons = new JsonArray();
        for (PairedComparison c : m.comparisons()) {
            JsonObject j = new JsonObject();
            j.addProperty("method", c.method());
            j.addProperty("baseline", c.baseline());
            JsonArray seeds = new JsonArray();
            c.seeds().forEach(seeds::add);
            j.add("seeds", seeds);
            j.add("differences", numbers(c.differenceArray()));
            j.addProperty("mean_difference", c.meanDifference());
            j.add("t_test", c.test().map(CompareJson::test).orElse(JsonNull.INSTANCE));
            j.add("bootstrap_ci", c.bootstrapCi().map(CompareJson::interval).orElse(JsonNull.INSTANCE));
            j.add("better", c.better().<JsonElement>map(JsonPrimitive::new).orElse(JsonNull.INSTANCE));
            j.addProperty("significant", c.significant());
            comparisons.add(j);
        }
        o.add("comparisons", comparisons);
        return o;
    }

    private static JsonElement test(PairedTest t) {
        JsonObject j = new JsonObject();
        j.add("t", num(t.t()));
        j.addProperty("df", t.df());
        j.addProperty("p_value", t.pValue());
        j.add("std", num(t.std()));
        j.add("standard_error", num(t.standardError()));
        j.add("ci", interval(t.ci()));
        return j;
    }

    private static JsonElement interval(Interval i) {
        JsonArray a = new JsonArray();
        a.add(num(i.lower()));
        a.add(num(i.upper()));
        return a;
    }

    private static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(num(v));
        }
        return a;
    }

    private static JsonArray strings(Iterable<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    /** JSON has no infinity or NaN: those become null. */
    private static JsonElement num(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }
}
