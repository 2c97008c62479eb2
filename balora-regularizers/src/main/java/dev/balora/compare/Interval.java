package dev.balora.compare;

/**
 * A closed interval {@code [lower, upper]}, here a confidence interval.
 *
 * @param lower the lower end
 * @param upper the upper end, not below {@code lower}
 */
public record Interval(double lower, double upper) {
    /** Checks that the ends are ordered and not NaN. */
    public Interval {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("interval [" + lower + ", " + upper + "] is not ordered");
        }
    }

    /** Whether {@code x} lies in the interval, ends included. */
    public boolean contains(double x) {
        return lower <= x && x <= upper;
    }

    /** Whether 0 lies strictly outside the interval (a difference interval that shows an effect). */
    public boolean excludesZero() {
        return lower > 0 || upper < 0;
    }

    /** {@code upper - lower}. */
    public double width() {
        return upper - lower;
    }
}
