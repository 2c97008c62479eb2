package dev.balora.compare;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One method against the baseline on one metric over the same seeds: per-seed differences (method minus
 * baseline), their mean, a paired t-test with its interval, and a paired bootstrap interval.
 *
 * @param method the compared method
 * @param baseline the baseline method
 * @param direction which way the metric is better
 * @param seeds the paired seeds, ascending
 * @param differences method minus baseline, per seed in {@code seeds} order
 * @param meanDifference the mean of {@code differences}
 * @param test the paired t-test; empty with a single seed
 * @param bootstrapCi the percentile bootstrap interval of the mean difference; empty with a single seed
 * @param alpha the significance level {@link #significant()} uses
 */
public record PairedComparison(String method, String baseline, MetricDirection direction, List<Long> seeds,
        List<Double> differences, double meanDifference, Optional<PairedTest> test, Optional<Interval> bootstrapCi,
        double alpha) {
    /** Checks the fields and copies the lists. */
    public PairedComparison {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(direction, "direction");
        seeds = List.copyOf(seeds);
        differences = List.copyOf(differences);
        if (seeds.size() != differences.size() || seeds.isEmpty()) {
            throw new IllegalArgumentException(method + " vs " + baseline + ": " + seeds.size() + " seeds and "
                    + differences.size() + " differences; need the same positive number");
        }
    }

    /**
     * Compares per-seed values of a method and the baseline.
     *
     * @param method the method id
     * @param baseline the baseline id
     * @param direction which way the metric is better
     * @param seeds the seeds, in the order of the value arrays
     * @param methodValues the method's value per seed
     * @param baselineValues the baseline's value per seed
     * @param settings level and bootstrap settings
     * @return the comparison
     */
    public static PairedComparison of(String method, String baseline, MetricDirection direction, List<Long> seeds,
            double[] methodValues, double[] baselineValues, InferenceSettings settings) {
        if (methodValues.length != seeds.size() || baselineValues.length != seeds.size()) {
            throw new IllegalArgumentException(method + " vs " + baseline + ": " + seeds.size() + " seeds but "
                    + methodValues.length + " and " + baselineValues.length + " values");
        }
        double[] d = new double[seeds.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = methodValues[i] - baselineValues[i];
        }
        double mean = Summary.mean(d);
        Optional<PairedTest> test = Optional.empty();
        Optional<Interval> boot = Optional.empty();
        if (d.length > 1) {
            test = Optional.of(PairedTest.of(d, settings.level()));
            boot = Optional.of(PairedBootstrap.meanCi(d, settings.level(), settings.resamples(),
                    settings.bootstrapSeed()));
        }
        return new PairedComparison(method, baseline, direction, seeds,
                java.util.Arrays.stream(d).boxed().toList(), mean, test, boot, settings.alpha());
    }

    /** The method with the better mean in the metric's direction, or empty when the means are equal. */
    public Optional<String> better() {
        if (meanDifference == 0) {
            return Optional.empty();
        }
        return Optional.of(Math.signum(meanDifference) == direction.improvementSign() ? method : baseline);
    }

    /** Whether the paired t-test rejects "no difference" at {@link #alpha()}; false with a single seed. */
    public boolean significant() {
        return test.isPresent() && test.get().pValue() < alpha;
    }

    /** The difference array. */
    public double[] differenceArray() {
        return differences.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
