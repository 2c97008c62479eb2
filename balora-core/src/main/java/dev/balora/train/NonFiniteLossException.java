package dev.balora.train;

import java.nio.file.Path;

/** Training stopped because too many consecutive steps had a non-finite loss or gradient. */
public class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int step;
    private final transient Path lastGoodCheckpoint;

    /**
     * Creates the exception.
     *
     * @param step the step at which training stopped
     * @param consecutive how many consecutive steps were non-finite
     * @param lastGoodCheckpoint the last checkpoint written before, kept as it was, or null
     */
    public NonFiniteLossException(int step, int consecutive, Path lastGoodCheckpoint) {
        super("training stopped at step " + step + " after " + consecutive
                + " consecutive steps with a non-finite loss or gradient; "
                + (lastGoodCheckpoint == null ? "no checkpoint had been written"
                        : "the last good checkpoint is " + lastGoodCheckpoint));
        this.step = step;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** The step at which training stopped. */
    public int step() {
        return step;
    }

    /** The last checkpoint written before the failure, or null. */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
