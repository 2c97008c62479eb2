package dev.balora.objective;

/**
 * A NaN or an infinity where a finite value is required: logits or hidden states handed to the regularizers, or a
 * regularizer's value. Training loops catch this type (and only this type) to skip a step; any other exception
 * from the objective is a bug or a misconfiguration and propagates.
 */
public final class NonFiniteValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String what;

    /**
     * @param what what held the bad value (e.g. "logits of the fine-tuned pass at optimizer step 3")
     * @param message the full message
     */
    public NonFiniteValueException(String what, String message) {
        super(message);
        this.what = what;
    }

    /** What held the non-finite value, as named by the code that found it. */
    public String what() {
        return what;
    }
}
