package dev.balora.model.bert;

import ai.djl.ndarray.NDArray;
import dev.balora.nn.ForwardContext;

/** Dropout that exists only in training passes. */
final class Dropouts {

    private Dropouts() {}

    static NDArray apply(NDArray x, float rate, ForwardContext ctx) {
        if (!ctx.training() || rate <= 0f) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow();
    }
}
