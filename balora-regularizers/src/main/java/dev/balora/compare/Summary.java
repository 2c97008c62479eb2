package dev.balora.compare;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One method's metric over its seeds: n, mean, and (from two seeds on) the spread with a Student's t interval.
 *
 * @param method the method id
 * @param values the per-seed values, in seed order
 * @param mean their mean
 * @param spread standard deviation, standard error and t interval; empty when there is a single seed, for which
 *     none is defined
 */
public record Summary(String method, List<Double> values, double mean, Optional<Spread> spread) {
    /** Checks the fields and copies the values. */
    public Summary {
        Objects.requireNonNull(method, "method");
        values = List.copyOf(values);
        Objects.requireNonNull(spread, "spread");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("method " + method + " has no value to summarize");
        }
        if (spread.isPresent() != (values.size() > 1)) {
            throw new IllegalArgumentException("a spread is defined exactly when there are two values or more");
        }
    }

    /**
     * The spread of a sample: sample standard deviation (n - 1 in the denominator), standard error and a
     * Student's t confidence interval of the mean with n - 1 degrees of freedom.
     *
     * @param std the sample standard deviation
     * @param standardError {@code std / sqrt(n)}
     * @param level the confidence level of {@code ci}, such as 0.95
     * @param ci {@code mean -+ t((1 + level) / 2, n - 1) * standardError}
     */
    public record Spread(double std, double standardError, double level, Interval ci) {}

    /**
     * Summarizes per-seed values.
     *
     * @param method the method id
     * @param values the values, at least one, all finite
     * @param level the confidence level, such as 0.95
     * @return the summary
     */
    public static Summary of(String method, double[] values, double level) {
        if (values.length == 0) {
            throw new IllegalArgumentException("method " + method + " has no value to summarize");
        }
        double mean = mean(values);
        if (values.length == 1) {
            return new Summary(method, boxed(values), mean, Optional.empty());
        }
        double std = sampleStd(values, mean);
        double se = std / Math.sqrt(values.length);
        double half = StudentT.critical(level, values.length - 1) * se;
        Spread spread = new Spread(std, se, level, new Interval(mean - half, mean + half));
        return new Summary(method, boxed(values), mean, Optional.of(spread));
    }

    /** The number of seeds. */
    public int n() {
        return values.size();
    }

    /** The values as an array. */
    public double[] valueArray() {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        // One correction pass: exact for constant samples, and the mean of values never leaves their range.
        double residual = 0;
        for (double v : values) {
            residual += v - mean;
        }
        return mean + residual / values.length;
    }

    static double sampleStd(double[] values, double mean) {
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
