package dev.balora.compare;

import java.util.Locale;

/** Whether a larger or a smaller value of a metric is the better one. */
public enum MetricDirection {
    /** Accuracy, F1, Matthews correlation, Pearson/Spearman correlation, exact match. */
    HIGHER_IS_BETTER("higher is better"),
    /** Held-out loss, perplexity, error rates. */
    LOWER_IS_BETTER("lower is better");

    private final String phrase;

    MetricDirection(String phrase) {
        this.phrase = phrase;
    }

    /**
     * The direction a metric's name implies: lower is better for names that contain {@code loss},
     * {@code perplexity}, {@code ppl}, {@code error} or {@code mse}/{@code mae}; higher for everything else
     * (GLUE's accuracy, F1, Matthews and correlation metrics, GSM8K accuracy).
     *
     * @param metric the metric's name, as in the run results
     * @return the implied direction
     */
    public static MetricDirection forMetric(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        for (String lower : new String[] {"loss", "perplexity", "ppl", "error", "mse", "mae"}) {
            if (m.contains(lower)) {
                return LOWER_IS_BETTER;
            }
        }
        return HIGHER_IS_BETTER;
    }

    /**
     * Compares two values in this direction.
     *
     * @param a one value
     * @param b the other
     * @return positive when {@code a} is better than {@code b}, negative when worse, 0 when equal
     */
    public int compare(double a, double b) {
        int c = Double.compare(a, b);
        return this == HIGHER_IS_BETTER ? c : -c;
    }

    /** The sign a difference (method minus baseline) has when the method is the better one: +1 or -1. */
    public int improvementSign() {
        return this == HIGHER_IS_BETTER ? 1 : -1;
    }

    /** The direction in words ({@code higher is better}). */
    public String phrase() {
        return phrase;
    }

    /** The name used in {@code compare.json} ({@code higher_is_better}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
