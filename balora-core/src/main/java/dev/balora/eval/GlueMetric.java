package dev.balora.eval;

/** The metrics GLUE reports, by the name they carry in results ({@code accuracy}, {@code f1}, ...). */
public enum GlueMetric {
    /** Fraction correct. */
    ACCURACY("accuracy"),
    /** F1 of the positive class (1). */
    F1("f1"),
    /** Matthews correlation coefficient. */
    MATTHEWS("matthews_correlation"),
    /** Pearson correlation of predicted and true scores. */
    PEARSON("pearson"),
    /** Spearman rank correlation of predicted and true scores. */
    SPEARMAN("spearman");

    private final String key;

    GlueMetric(String key) {
        this.key = key;
    }

    /** The result key, as in Hugging Face's {@code evaluate} GLUE metric. */
    public String key() {
        return key;
    }
}
