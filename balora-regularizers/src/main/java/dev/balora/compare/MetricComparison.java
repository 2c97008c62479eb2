package dev.balora.compare;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code balora compare} reports for one metric: its direction, a summary per method and the paired
 * comparison of every other method against the baseline.
 *
 * @param metric the metric's name
 * @param direction which way it is better
 * @param summaries one per method, in the report's method order (the baseline included)
 * @param comparisons one per method other than the baseline, in the same order
 */
public record MetricComparison(String metric, MetricDirection direction, List<Summary> summaries,
        List<PairedComparison> comparisons) {
    /** Checks the fields and copies the lists. */
    public MetricComparison {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(direction, "direction");
        summaries = List.copyOf(summaries);
        comparisons = List.copyOf(comparisons);
    }

    /**
     * The summary of one method.
     *
     * @param method the method id
     * @return its summary
     */
    public Summary summary(String method) {
        return summaries.stream().filter(s -> s.method().equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method '" + method + "' for " + metric));
    }

    /**
     * The comparison of one method against the baseline.
     *
     * @param method a method other than the baseline
     * @return its comparison, or empty for the baseline
     */
    public Optional<PairedComparison> comparison(String method) {
        return comparisons.stream().filter(c -> c.method().equals(method)).findFirst();
    }

    /** The comparisons whose paired t-test is significant. */
    public List<PairedComparison> significant() {
        return comparisons.stream().filter(PairedComparison::significant).toList();
    }
}
