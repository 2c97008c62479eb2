package dev.balora.compare;

/**
 * A paired t-test of per-seed differences (method minus baseline) against zero, with the t interval of their
 * mean.
 *
 * <p>When every difference is the same the standard deviation is 0: the interval is that single value, and the
 * test reads t = 0, p = 1 for a zero difference and t = +-infinity, p = 0 otherwise.
 *
 * @param std sample standard deviation of the differences
 * @param standardError {@code std / sqrt(n)}
 * @param t the statistic {@code mean / standardError}
 * @param df degrees of freedom, n - 1
 * @param pValue the two-sided p-value
 * @param ci the t confidence interval of the mean difference
 */
public record PairedTest(double std, double standardError, double t, int df, double pValue, Interval ci) {
    /**
     * Tests differences.
     *
     * @param differences per-seed differences, at least two
     * @param level the confidence level of {@code ci}
     * @return the test
     */
    public static PairedTest of(double[] differences, double level) {
        int n = differences.length;
        if (n < 2) {
            throw new IllegalArgumentException("a paired t-test needs at least two paired seeds, got " + n);
        }
        double mean = Summary.mean(differences);
        double std = Summary.sampleStd(differences, mean);
        double se = std / Math.sqrt(n);
        int df = n - 1;
        if (se == 0) {
            double t = mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean);
            return new PairedTest(0, 0, t, df, mean == 0 ? 1 : 0, new Interval(mean, mean));
        }
        double t = mean / se;
        double half = StudentT.critical(level, df) * se;
        return new PairedTest(std, se, t, df, StudentT.twoSidedP(t, df), new Interval(mean - half, mean + half));
    }
}
