package dev.balora.compare;

/**
 * How intervals and tests are computed: the confidence level (also 1 - the significance level of the paired
 * test) and the bootstrap's resample count and seed.
 *
 * @param level the confidence level in (0, 1), 0.95 by default
 * @param resamples bootstrap resamples, at least 100, 10,000 by default
 * @param bootstrapSeed the bootstrap's random seed, 42 by default
 */
public record InferenceSettings(double level, int resamples, long bootstrapSeed) {
    /** 95 % intervals, a 5 % test, 10,000 bootstrap resamples with seed 42. */
    public static final InferenceSettings DEFAULT =
            new InferenceSettings(0.95, PairedBootstrap.DEFAULT_RESAMPLES, PairedBootstrap.DEFAULT_SEED);

    /** Checks the ranges. */
    public InferenceSettings {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must lie in (0, 1), got " + level);
        }
        if (resamples < 100) {
            throw new IllegalArgumentException("bootstrap resamples must be at least 100, got " + resamples);
        }
    }

    /** The significance level of the paired test, {@code 1 - level} (0.05 by default), rounded in decimal. */
    public double alpha() {
        // In decimal, so that 0.95 gives 0.05 and not 0.050000000000000044.
        return java.math.BigDecimal.ONE.subtract(java.math.BigDecimal.valueOf(level)).doubleValue();
    }
}
