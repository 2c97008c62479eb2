package dev.balora.onnx;

import java.util.Arrays;

/**
 * One tensor of an ONNX graph (an initializer or a Constant's value), decoded.
 *
 * @param name the tensor name ("" for an anonymous Constant value)
 * @param dims its shape
 * @param dataType the ONNX element type code ({@link #FLOAT}, {@link #INT64}, ...)
 * @param floats the values for floating types (FLOAT, FLOAT16, DOUBLE, BFLOAT16), else null
 * @param longs the values for integer types (INT64, INT32, ...), else null
 */
public record OnnxTensor(String name, long[] dims, int dataType, float[] floats, long[] longs) {
    /** ONNX TensorProto.DataType FLOAT. */
    public static final int FLOAT = 1;
    /** ONNX TensorProto.DataType INT32. */
    public static final int INT32 = 6;
    /** ONNX TensorProto.DataType INT64. */
    public static final int INT64 = 7;
    /** ONNX TensorProto.DataType FLOAT16. */
    public static final int FLOAT16 = 10;
    /** ONNX TensorProto.DataType DOUBLE. */
    public static final int DOUBLE = 11;
    /** ONNX TensorProto.DataType BFLOAT16. */
    public static final int BFLOAT16 = 16;

    /** Whether the values are floating point (delivered as {@link #floats()}). */
    public boolean isFloating() {
        return floats != null;
    }

    /** Number of elements the shape implies. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The single value of a one-element tensor as a double, or null when it has more than one element. */
    public Double scalar() {
        if (floats != null && floats.length == 1) {
            return Double.parseDouble(Float.toString(floats[0])); // 1e-12, not 9.99e-13
        }
        if (longs != null && longs.length == 1) {
            return (double) longs[0];
        }
        return null;
    }

    @Override
    public String toString() {
        return name + " type " + dataType + Arrays.toString(dims);
    }
}
