package dev.balora.compare;

import org.apache.commons.statistics.distribution.TDistribution;

/** Student's t distribution: quantiles, CDF and two-sided p-values (Apache Commons Statistics underneath). */
public final class StudentT {
    private StudentT() {}

    /**
     * The {@code p}-quantile: the t with {@code P(T <= t) = p}.
     *
     * @param p a probability in (0, 1)
     * @param df degrees of freedom, at least 1
     * @return the quantile
     */
    public static double quantile(double p, int df) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must lie in (0, 1), got " + p);
        }
        return distribution(df).inverseCumulativeProbability(p);
    }

    /**
     * The CDF {@code P(T <= t)}.
     *
     * @param t the point
     * @param df degrees of freedom, at least 1
     * @return the probability
     */
    public static double cdf(double t, int df) {
        return distribution(df).cumulativeProbability(t);
    }

    /**
     * The two-sided p-value {@code P(|T| >= |t|)}: 1 at t = 0, 0 at infinite t.
     *
     * @param t the statistic
     * @param df degrees of freedom, at least 1
     * @return the p-value
     */
    public static double twoSidedP(double t, int df) {
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("t statistic is NaN");
        }
        // The survival function keeps precision in the far tail, where 1 - cdf would round to 0.
        return Math.min(1.0, 2 * distribution(df).survivalProbability(Math.abs(t)));
    }

    /**
     * The two-sided critical value for a confidence level: the {@code (1 + level) / 2} quantile.
     *
     * @param level the confidence level in (0, 1), such as 0.95
     * @param df degrees of freedom, at least 1
     * @return the critical value, such as 4.302653 for 0.95 and 2 df
     */
    public static double critical(double level, int df) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must lie in (0, 1), got " + level);
        }
        return quantile((1 + level) / 2, df);
    }

    private static TDistribution distribution(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
        }
        return TDistribution.of(df);
    }
}
