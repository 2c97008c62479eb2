package dev.balora.nn;

import ai.djl.ndarray.NDArray;

/** Dropout that is active only in training passes, so inference and reference passes stay deterministic. */
public final class Dropouts {

    private Dropouts() {}

    /**
     * Applies inverted dropout when {@code context.training()} and {@code rate > 0}; otherwise returns {@code x}.
     *
     * @param x the activations
     * @param rate probability of zeroing an element, in [0, 1)
     * @param context the forward mode
     */
    public static NDArray apply(NDArray x, float rate, ForwardContext context) {
        if (!context.training() || rate <= 0) {
            return x;
        }
        return ai.djl.nn.norm.Dropout.dropout(x, rate, true).singletonOrThrow();
    }
}
