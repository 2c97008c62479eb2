package dev.balora.compare;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated multi-seed comparison of methods against a baseline, for every metric the runs share; build it with
 * {@link #builder()} and write it with {@link CompareJson}, {@link CompareMarkdown} and {@link ComparePlot}.
 */
public final class CompareReport {
    private final JsonObject settings;
    private final String baseline;
    private final List<String> methods;
    private final List<Long> seeds;
    private final List<RunOutcome> runs;
    private final InferenceSettings inference;
    private final List<MetricComparison> metrics;

    private CompareReport(Builder b, List<String> methods, List<Long> seeds, List<String> metricNames) {
        settings = b.settings.deepCopy();
        baseline = b.baseline;
        this.methods = List.copyOf(methods);
        this.seeds = List.copyOf(seeds);
        inference = b.inference;
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < methods.size(); i++) {
            order.put(methods.get(i), i);
        }
        runs = b.runs.stream().sorted(Comparator.<RunOutcome>comparingInt(r -> order.get(r.method()))
                .thenComparingLong(RunOutcome::seed)).toList();
        List<MetricComparison> list = new ArrayList<>();
        for (String metric : metricNames) {
            list.add(compare(metric, b.directions.getOrDefault(metric, MetricDirection.forMetric(metric))));
        }
        metrics = List.copyOf(list);
    }

    /** A new builder; {@code setRuns} and {@code setBaseline} are required. */
    public static Builder builder() {
        return new Builder();
    }

    private MetricComparison compare(String metric, MetricDirection direction) {
        Map<String, double[]> values = new LinkedHashMap<>();
        for (String m : methods) {
            values.put(m, new double[seeds.size()]);
        }
        for (RunOutcome r : runs) {
            values.get(r.method())[seeds.indexOf(r.seed())] = r.metric(metric);
        }
        List<Summary> summaries = new ArrayList<>();
        List<PairedComparison> comparisons = new ArrayList<>();
        for (String m : methods) {
            summaries.add(Summary.of(m, values.get(m), inference.level()));
            if (!m.equals(baseline)) {
                comparisons.add(PairedComparison.of(m, baseline, direction, seeds, values.get(m),
                        values.get(baseline), inference));
            }
        }
        return new MetricComparison(metric, direction, summaries, comparisons);
    }

    /** The settings the caller passed in (task, budget, learning rates...), as given; a copy. */
    public JsonObject settings() {
        return settings.deepCopy();
    }

    /** The baseline method. */
    public String baseline() {
        return baseline;
    }

    /** The methods, in report order (the order given, else first appearance in the runs). */
    public List<String> methods() {
        return methods;
    }

    /** The seeds every method ran with, ascending. */
    public List<Long> seeds() {
        return seeds;
    }

    /** Every run, in method order and then seed order. */
    public List<RunOutcome> runs() {
        return runs;
    }

    /** The confidence level and bootstrap settings. */
    public InferenceSettings inference() {
        return inference;
    }

    /** One comparison per metric, the first (primary) metric first. */
    public List<MetricComparison> metrics() {
        return metrics;
    }

    /**
     * The comparison on one metric.
     *
     * @param name the metric
     * @return its comparison
     */
    public MetricComparison metric(String name) {
        return metrics.stream().filter(m -> m.metric().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric '" + name + "' in this report"));
    }

    /** The comparison on the first (primary) metric. */
    public MetricComparison primary() {
        return metrics.get(0);
    }

    /** Builds a {@link CompareReport}: {@code setX} is required, {@code optX} optional. */
    public static final class Builder {
        private List<RunOutcome> runs;
        private String baseline;
        private List<String> methodOrder;
        private List<String> metricNames;
        private final Map<String, MetricDirection> directions = new HashMap<>();
        private JsonObject settings = new JsonObject();
        private InferenceSettings inference = InferenceSettings.DEFAULT;

        private Builder() {}

        /** Sets the runs, one per (method, seed); required, not empty. */
        public Builder setRuns(List<RunOutcome> runs) {
            this.runs = List.copyOf(Objects.requireNonNull(runs, "runs"));
            return this;
        }

        /** Sets the method every other method is compared with; required, one of the runs' methods. */
        public Builder setBaseline(String baseline) {
            this.baseline = Objects.requireNonNull(baseline, "baseline");
            return this;
        }

        /** Sets the method order of tables and plots (all the runs' methods); default: first appearance. */
        public Builder optMethods(List<String> methods) {
            this.methodOrder = List.copyOf(methods);
            return this;
        }

        /** Sets the metrics to compare, the primary first; default: those every run has, in the first run's order. */
        public Builder optMetrics(List<String> metrics) {
            this.metricNames = List.copyOf(metrics);
            return this;
        }

        /** Sets a metric's direction; default: {@link MetricDirection#forMetric(String)}. */
        public Builder optDirection(String metric, MetricDirection direction) {
            directions.put(Objects.requireNonNull(metric, "metric"), Objects.requireNonNull(direction, "direction"));
            return this;
        }

        /** Sets the settings recorded in {@code compare.json} as {@code "settings"}; default: empty. */
        public Builder optSettings(JsonObject settings) {
            this.settings = Objects.requireNonNull(settings, "settings").deepCopy();
            return this;
        }

        /** Sets the confidence level and bootstrap settings; default {@link InferenceSettings#DEFAULT}. */
        public Builder optInference(InferenceSettings inference) {
            this.inference = Objects.requireNonNull(inference, "inference");
            return this;
        }

        /**
         * Validates and computes the report.
         *
         * @return the report
         * @throws IllegalArgumentException when there are no runs, a (method, seed) run appears twice, the baseline
         *     is missing or not among the methods, a method's seeds differ from the baseline's, the method order
         *     does not list exactly the runs' methods, or a metric is missing from some run
         */
        public CompareReport build() {
            if (runs == null || runs.isEmpty()) {
                throw new IllegalArgumentException("no runs to compare (setRuns with at least one run)");
            }
            if (baseline == null) {
                throw new IllegalArgumentException("no baseline method (setBaseline)");
            }
            Map<String, Set<Long>> seedsOf = new LinkedHashMap<>();
            for (RunOutcome r : runs) {
                if (!seedsOf.computeIfAbsent(r.method(), k -> new TreeSet<>()).add(r.seed())) {
                    throw new IllegalArgumentException("method " + r.method() + " has two runs with seed "
                            + r.seed());
                }
            }
            List<String> methods = methodOrder(seedsOf.keySet());
            if (!seedsOf.containsKey(baseline)) {
                throw new IllegalArgumentException("baseline '" + baseline + "' is not among the methods "
                        + seedsOf.keySet());
            }
            Set<Long> base = seedsOf.get(baseline);
            for (Map.Entry<String, Set<Long>> e : seedsOf.entrySet()) {
                if (!e.getValue().equals(base)) {
                    throw new IllegalArgumentException("seeds do not pair up: method " + e.getKey() + " has seeds "
                            + e.getValue() + " but baseline " + baseline + " has " + base + " (missing "
                            + minus(base, e.getValue()) + ", extra " + minus(e.getValue(), base) + ")");
                }
            }
            List<String> names = metricNames != null ? metricNames : sharedMetrics();
            if (names.isEmpty()) {
                throw new IllegalArgumentException("no metric to compare: the runs share no metric name"
                        + (metricNames != null ? " (optMetrics is empty)" : ""));
            }
            if (new LinkedHashSet<>(names).size() != names.size()) {
                throw new IllegalArgumentException("metrics " + names + " list a metric twice");
            }
            for (String m : names) {
                runs.forEach(r -> r.metric(m)); // throws, naming the run and the metrics it has
            }
            return new CompareReport(this, methods, new ArrayList<>(base), names);
        }

        private List<String> methodOrder(Set<String> present) {
            if (methodOrder == null) {
                return new ArrayList<>(present);
            }
            Set<String> given = new LinkedHashSet<>(methodOrder);
            if (given.size() != methodOrder.size() || !given.equals(present)) {
                throw new IllegalArgumentException("method order " + methodOrder + " must list each of the runs'"
                        + " methods " + present + " exactly once");
            }
            return methodOrder;
        }

        private List<String> sharedMetrics() {
            List<String> shared = new ArrayList<>(runs.get(0).metrics().keySet());
            for (RunOutcome r : runs) {
                shared.retainAll(r.metrics().keySet());
            }
            return shared;
        }

        private static Set<Long> minus(Set<Long> a, Set<Long> b) {
            Set<Long> d = new TreeSet<>(a);
            d.removeAll(b);
            return d;
        }
    }
}
