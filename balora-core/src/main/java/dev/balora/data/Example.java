package dev.balora.data;

import java.util.Objects;

/**
 * One labelled text example: a sentence or a sentence pair with a class id or a regression target.
 *
 * @param text the (first) sentence
 * @param textPair the second sentence of a pair task, or null
 * @param label the class id (as a float) for classification, the target value for regression
 * @param origin where it came from ({@code file:line}), for error messages
 */
public record Example(String text, String textPair, float label, String origin) {

    /** Validates the text. */
    public Example {
        Objects.requireNonNull(text, "text");
    }

    /** Whether this example is a sentence pair. */
    public boolean isPair() {
        return textPair != null;
    }

    /** The label as a class id; fails when the label is not a whole number. */
    public int classLabel() {
        int id = (int) label;
        if (id != label) {
            throw new IllegalStateException("example " + origin + " has label " + label + ", not a class id");
        }
        return id;
    }
}
