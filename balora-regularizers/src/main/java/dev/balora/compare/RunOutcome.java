package dev.balora.compare;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one (method, seed) run: its final metrics by name ({@code accuracy}, {@code eval_loss}, ...).
 *
 * @param method the method or preset id ({@code lora}, {@code balora:nlu-cyp-jlu-ai-hidden})
 * @param seed the run's seed; runs of different methods with the same seed are paired
 * @param metrics metric name to value, every value finite; kept in the given order
 */
public record RunOutcome(String method, long seed, Map<String, Double> metrics) {
    /** Validates and copies the metrics (insertion order kept). */
    public RunOutcome {
        Objects.requireNonNull(method, "method");
        if (method.isBlank()) {
            throw new IllegalArgumentException("a run's method id is blank (seed " + seed + ")");
        }
        Objects.requireNonNull(metrics, "metrics");
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            Double v = e.getValue();
            if (e.getKey() == null || v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException("run " + method + " seed " + seed + ": metric " + e.getKey()
                        + " is " + v + "; every metric value must be a finite number");
            }
            copy.put(e.getKey(), v);
        }
        metrics = Collections.unmodifiableMap(copy);
    }

    /**
     * The value of one metric.
     *
     * @param name the metric
     * @return its value
     * @throws IllegalArgumentException when this run has no such metric
     */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("run " + method + " seed " + seed + " has no metric '" + name
                    + "' (it has " + metrics.keySet() + ")");
        }
        return v;
    }
}
