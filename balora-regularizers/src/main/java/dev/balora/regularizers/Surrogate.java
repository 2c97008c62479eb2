package dev.balora.regularizers;

import ai.djl.ndarray.NDArray;
import dev.balora.objective.RowGradient;

/**
 * A scalar whose value and gradient are computed by hand, without gradient, and attached to the graph through one
 * linear product ({@link RowGradient#attach}): {@code value + <x, G> - <x, G>_detached}. Its value is exactly {@code value} and its gradient
 * with respect to x is exactly G.
 *
 * <p>Why: on [N, V] logits the regularizers are memory-bound; autograd of a chain of elementwise ops keeps and
 * allocates one full-size array per op and per backward node, whereas a hand-derived gradient built in place
 * needs one, and this product's backward one more. First-order only: the result has no second derivative.
 */
public final class Surrogate {

    private Surrogate() {}

    /**
     * The scalar {@code value} with gradient {@code gradient} with respect to {@code x}.
     *
     * @param x the array the gradient flows to, with gradient
     * @param gradient dL/dx, same shape and type as x, without gradient
     * @param value the scalar's value
     * @return a 0-d array in x's type
     */
    public static NDArray of(NDArray x, NDArray gradient, double value) {
        return RowGradient.attach(x, gradient, value);
    }

    /**
     * {@code sum(a * b)} of two [N, V] arrays without a full-size temporary: row-wise products (each row
     * accumulated on its own, which keeps float32 rounding at the level of one row), then a sum of N numbers.
     *
     * @return a 0-d array
     */
    public static NDArray dot(NDArray a, NDArray b) {
        return rowDot(a, b).sum();
    }

    /**
     * Row-wise {@code sum(a * b, -1)} of two [N, V] arrays as a batched product: no full-size temporary.
     *
     * @return [N]
     */
    public static NDArray rowDot(NDArray a, NDArray b) {
        long rows = a.getShape().get(0);
        long cols = a.getShape().get(1);
        return a.reshape(rows, 1, cols).matMul(b.reshape(rows, cols, 1)).reshape(rows);
    }
}
