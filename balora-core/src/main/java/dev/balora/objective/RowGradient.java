package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Objects;

/**
 * A term's value and its gradient with respect to the input's logit rows ({@link RegularizerInput#logitRows()}),
 * both built without autograd ({@link Regularizer#gradientOnRows}), so that {@link WeightedObjective} can sum the
 * weighted gradients of every such term in place in one buffer and attach them to the graph through one product.
 *
 * <p>The gradient is dense ([N, V], like the rows) or sparse: K columns per row ([N, K] values at the [N, K]
 * column indices, distinct within a row, zero elsewhere), e.g. a term on the top-K logits of each row.
 *
 * @param value the term's value
 * @param gradient dR/d(logit rows): [N, V], or [N, K] when sparse; without gradient; handed over (the receiver may
 *     overwrite and close it)
 * @param columns null when dense; else the column of each gradient value, [N, K] integer
 */
public record RowGradient(double value, NDArray gradient, NDArray columns) {

    /** Validates. */
    public RowGradient {
        Objects.requireNonNull(gradient, "gradient");
        if (columns != null && !columns.getShape().equals(gradient.getShape())) {
            throw new IllegalArgumentException("sparse gradient: columns " + columns.getShape() + " and values "
                    + gradient.getShape() + " differ in shape");
        }
    }

    /** A dense gradient, same shape as the rows. */
    public RowGradient(double value, NDArray gradient) {
        this(value, gradient, null);
    }

    /** Whether the gradient holds only some columns per row. */
    public boolean isSparse() {
        return columns != null;
    }

    /**
     * Adds {@code weight} times this gradient to a dense [N, V] array in place.
     *
     * @param dense [N, V], without gradient
     * @param weight the factor
     */
    public void addTo(NDArray dense, double weight) {
        NDArray g = gradient.muli(Scalars.like(gradient, weight));
        if (!isSparse()) {
            dense.addi(g);
            return;
        }
        long n = columns.getShape().get(0);
        long k = columns.getShape().get(1);
        if (dense.getShape().dimension() != 2 || dense.getShape().get(0) != n) {
            throw new IllegalArgumentException("sparse gradient of " + n + " rows cannot be added to "
                    + dense.getShape());
        }
        long[] rows = new long[(int) (n * k)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / k;
        }
        NDArray rowIndex = dev.balora.nn.EngineArrays.own(dense.getManager().create(rows, columns.getShape()));
        NDIndex at = new NDIndex("{}, {}", rowIndex, columns);
        // The columns of a row are distinct, so read-add-write is exact; both are in place on small [N, K] arrays.
        dense.set(at, dense.get(at).addi(g));
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
