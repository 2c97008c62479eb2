package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A term's value and its gradient with respect to the input's logit rows ({@link RegularizerInput#logitRows()}),
 * both built without autograd ({@link Regularizer#gradientOnRows}), so that {@link WeightedObjective} can sum the
 * weighted gradients of every such term in place in one buffer and attach them to the graph through one product.
 *
 * @param value the term's value
 * @param gradient dR/d(logit rows), same shape as the rows, without gradient; handed over (the receiver may
 *     overwrite and close it)
 */
public record RowGradient(double value, NDArray gradient) {

    /** Validates. */
    public RowGradient {
        Objects.requireNonNull(gradient, "gradient");
    }

    /**
     * The scalar {@code value} whose gradient with respect to {@code x} is {@code gradient}: {@code value + <x, G> -
     * <x, G>_detached}. Its value is exactly {@code value}; first-order only (no second derivative).
     *
     * <p>Why: on [N, V] logits the terms are memory-bound; autograd of a chain of elementwise ops allocates one
     * full-size array per op and per backward node, whereas a hand-derived gradient built in place needs one, and
     * this product's backward one more.
     *
     * @param x the array the gradient flows to, with gradient
     * @param gradient dL/dx, same shape and type as x, without gradient
     * @param value the scalar's value
     * @return a 0-d array in x's type
     */
    public static NDArray attach(NDArray x, NDArray gradient, double value) {
        if (!x.getShape().equals(gradient.getShape())) {
            throw new IllegalArgumentException("hand-built gradient of shape " + gradient.getShape()
                    + " differs from the input's " + x.getShape());
        }
        long n = x.getShape().size();
        // One flat product (its value cancels below, so its float32 accumulation order does not matter).
        NDArray linear = x.reshape(1, n).matMul(gradient.stopGradient().reshape(n, 1)).reshape();
        // linear - linear is exactly 0 in value; only the first operand carries the gradient.
        return Scalars.add(linear.sub(linear.stopGradient()), value);
    }
}
