package dev.balora.checkpoint;

import java.util.Locale;

/** The safetensors element types balora reads; all are delivered to the engine as FP32. */
public enum DType {
    /** IEEE single precision. */
    F32(4),
    /** IEEE half precision, widened in Java. */
    F16(2),
    /** bfloat16, widened in Java: the engine aborts the JVM on any BF16 array. */
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Parses a safetensors dtype string.
     *
     * @param text the header's dtype, for example {@code "BF16"}
     * @return the type, or null when balora does not read it
     */
    public static DType parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Widens one bfloat16 value (its 16 bits) to float. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Widens one IEEE half value (its 16 bits) to float. */
    public static float f16ToFloat(short bits) {
        // Java 17 has no Float.float16ToFloat: decode sign, exponent and mantissa by hand.
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f; // subnormal (or zero): mant * 2^-24
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
