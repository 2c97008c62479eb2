package dev.balora.objective;

import ai.djl.ndarray.NDArray;

/** Fails loudly on NaN or infinite values, at the cost of one reduction in the common (finite) case. */
public final class FiniteCheck {

    private FiniteCheck() {}

    /**
     * Throws when {@code array} holds a NaN or an infinity.
     *
     * @param array any floating-point array
     * @param what what the array is, for the message (e.g. "logits of the fine-tuned pass")
     * @throws NonFiniteValueException naming {@code what}, its shape and how many values are bad
     */
    public static void require(NDArray array, String what) {
        if (!array.getDataType().isFloating()) {
            return;
        }
        // A sum of finite values is finite unless it overflows, so the exact count runs only on a suspicious sum.
        double sum = array.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        if (Double.isFinite(sum)) {
            return;
        }
        long nan = array.isNaN().sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
        long inf = array.isInfinite().sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
        if (nan > 0 || inf > 0) {
            throw new NonFiniteValueException(what, what + " contain " + nan + " NaN and " + inf
                    + " infinite values (shape " + array.getShape() + "); the forward pass diverged or its input"
                    + " is corrupt");
        }
    }
}
