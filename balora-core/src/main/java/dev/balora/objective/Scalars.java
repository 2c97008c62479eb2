package dev.balora.objective;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic of an array with a Java number that keeps the array's float type and its gradient.
 *
 * <p>With DJL 0.36 on PyTorch, {@code x.mul(0.5)} on a FLOAT32 array returns FLOAT64 (the number becomes a
 * FLOAT64 array that wins type promotion), and {@code toType} cuts the autograd graph, so converting back is no
 * fix. These helpers build the scalar in the array's own type instead.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d array holding {@code value} in {@code like}'s float type, on its manager. */
    public static NDArray like(NDArray like, double value) {
        NDArray s = like.getDataType() == DataType.FLOAT64
                ? EngineArrays.own(like.getManager().create(value))
                : EngineArrays.own(like.getManager().create((float) value));
        return s.getDataType() == like.getDataType() ? s : s.toType(like.getDataType(), false);
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
