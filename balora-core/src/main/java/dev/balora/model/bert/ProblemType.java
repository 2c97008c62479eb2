package dev.balora.model.bert;

/** What a sequence-classification head predicts, as Hugging Face's {@code problem_type}. */
public enum ProblemType {
    /** One real value per example (num_labels = 1), mean squared error. */
    REGRESSION("regression"),
    /** One class per example, cross-entropy. */
    SINGLE_LABEL("single_label_classification"),
    /** Independent binary labels, binary cross-entropy with logits. */
    MULTI_LABEL("multi_label_classification");

    private final String hfName;

    ProblemType(String hfName) {
        this.hfName = hfName;
    }

    /** The Hugging Face spelling. */
    public String hfName() {
        return hfName;
    }

    /**
     * Parses {@code problem_type}.
     *
     * @return the type, or null when unknown
     */
    public static ProblemType parse(String name) {
        for (ProblemType t : values()) {
            if (t.hfName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
