package dev.balora.compare;

import java.util.Arrays;
import java.util.Random;

/**
 * Percentile bootstrap confidence interval of the mean of paired differences: resample the seeds with
 * replacement, take the mean difference of each resample, and read the interval off the sorted means.
 *
 * <p>Deterministic for a given seed: it draws from {@link java.util.Random}, whose generator the JDK specifies
 * exactly. Percentiles interpolate linearly between order statistics (R's type 7, NumPy's default).
 */
public final class PairedBootstrap {
    /** The default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 10_000;
    /** The default seed. */
    public static final long DEFAULT_SEED = 42L;

    private PairedBootstrap() {}

    /**
     * The percentile interval of the resampled mean difference.
     *
     * @param differences per-seed differences (method minus baseline), at least two
     * @param level the confidence level, such as 0.95 (the 2.5 % and 97.5 % percentiles)
     * @param resamples how many resamples, at least 100
     * @param seed the random seed
     * @return the interval
     */
    public static Interval meanCi(double[] differences, double level, int resamples, long seed) {
        return percentiles(resampledMeans(differences, resamples, seed), level);
    }

    /**
     * The sorted means of {@code resamples} resamples of {@code differences} drawn with replacement.
     *
     * @param differences the sample, at least two values
     * @param resamples how many resamples, at least 100
     * @param seed the random seed
     * @return the resampled means, ascending
     */
    public static double[] resampledMeans(double[] differences, int resamples, long seed) {
        int n = differences.length;
        if (n < 2) {
            throw new IllegalArgumentException("a bootstrap needs at least two paired differences, got " + n);
        }
        if (resamples < 100) {
            throw new IllegalArgumentException("bootstrap resamples must be at least 100, got " + resamples);
        }
        Random random = new Random(seed);
        double[] means = new double[resamples];
        double[] draw = new double[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                draw[i] = differences[random.nextInt(n)];
            }
            means[b] = Summary.mean(draw);
        }
        Arrays.sort(means);
        return means;
    }

    /**
     * The equal-tailed percentile interval of sorted values.
     *
     * @param sorted ascending values
     * @param level the confidence level in (0, 1)
     * @return {@code [q((1 - level) / 2), q((1 + level) / 2)]}
     */
    static Interval percentiles(double[] sorted, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must lie in (0, 1), got " + level);
        }
        return new Interval(quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2));
    }

    /** Linear interpolation between order statistics at position {@code p (n - 1)}. */
    static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }
}
