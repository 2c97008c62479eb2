package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic of an array with a Java number that keeps the array's float type and its gradient.
 *
 * <p>With DJL 0.36 on PyTorch, {@code x.mul(0.5)} on a FLOAT32 array returns FLOAT64 (the number becomes a
 * FLOAT64 array that wins type promotion), and {@code toType} cuts the autograd graph, so converting back is no
 * fix. These helpers build the scalar in the array's own type instead.
 *
 * <p>They are also the safe way to use a constant on the gradient path: DJL's {@code mul(Number)}, {@code div(Number)},
 * {@code pow(Number)} and {@code maximum(Number)} wrap the number in a Java direct buffer without copying and close
 * it right after the forward op, while autograd keeps reading it in backward. Once the collector frees the buffer
 * and the native block is reused, the backward multiplies by garbage: a NaN or huge gradient while every forward
 * value is finite. Here the scalar is an engine-owned copy.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d array holding {@code value} in {@code like}'s float type, on its manager. */
    public static NDArray like(NDArray like, double value) {
        NDArray wrapped = like.getDataType() == DataType.FLOAT64
                ? like.getManager().create(value)
                : like.getManager().create((float) value);
        // create() wraps a Java direct buffer (torch from_blob) that is freed once its NDArray is closed and
        // collected, while autograd may still hold the scalar (mul and div save it for backward): an engine-owned
        // copy stays valid as long as the graph needs it, whoever closes the NDArray.
        NDArray owned = wrapped.getDataType() == like.getDataType()
                ? wrapped.duplicate()
                : wrapped.toType(like.getDataType(), false);
        wrapped.close();
        return owned;
    }

    /** {@code a * value}, same type as a. */
    public static NDArray mul(NDArray a, double value) {
        return a.mul(like(a, value));
    }

    /** {@code a / value}, same type as a. */
    public static NDArray div(NDArray a, double value) {
        return a.div(like(a, value));
    }

    /** {@code a + value}, same type as a. */
    public static NDArray add(NDArray a, double value) {
        return a.add(like(a, value));
    }
}
