package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.balora.fixtures.HalfFloats;
import org.junit.jupiter.api.Test;

/**
 * The test fixtures' float-to-half rounding, which the writer and the BF16 checkpoint are checked against, gives
 * the bit patterns worked out by hand: round to nearest, ties to even, subnormals, overflow, NaN.
 */
class IndependentHalfRoundingMatchesHandValues {

    @Test
    void f16() {
        assertEquals(0x3c00, f16(1f));
        assertEquals(0x3555, f16(1f / 3)); // 0.333333 -> 1.0101010101b x 2^-2, rounded down
        assertEquals(0x3c00, f16(1f + 0x1p-11f)); // tie between 0x3c00 and 0x3c01: even wins
        assertEquals(0x3c02, f16(1f + 3 * 0x1p-11f)); // tie between 0x3c01 and 0x3c02: even wins
        assertEquals(0x7bff, f16(65504f));
        assertEquals(0x7bff, f16(65519.99f)); // just below the halfway point to 65536
        assertEquals(0x7c00, f16(65520f)); // the halfway point rounds to even: infinity
        assertEquals(0x0001, f16(0x1p-24f)); // smallest subnormal
        assertEquals(0x0000, f16(0x1p-25f)); // tie between 0 and the smallest subnormal: zero is even
        assertEquals(0x0002, f16(0x1.8p-24f)); // tie between 1 and 2 subnormal steps: 2
        assertEquals(0x0001, f16(0x1.000002p-25f)); // just above the tie
        assertEquals(0x0400, f16(0x1.ffcp-15f + 0x1p-25f)); // rounds up from the largest subnormal to the smallest normal
        assertEquals(0x8000, f16(-0f));
        assertEquals(0xfc00, f16(Float.NEGATIVE_INFINITY));
        assertEquals(0x7e00, f16(Float.NaN));
    }

    @Test
    void bf16() {
        assertEquals(0x3f80, bf16(1f));
        assertEquals(0x3eab, bf16(1f / 3)); // 0x3eaaaaab: the dropped half 0xaaab is above the tie
        assertEquals(0x3f80, bf16(1f + 0x1p-8f)); // tie: even 0x3f80
        assertEquals(0x3f82, bf16(1f + 3 * 0x1p-8f)); // tie: even 0x3f82
        assertEquals(0x7f80, bf16(Float.MAX_VALUE)); // rounds past the largest BF16 to infinity
        assertEquals(0x0001, bf16(0x1p-133f)); // smallest BF16 subnormal
        assertEquals(0x0000, bf16(Float.MIN_VALUE)); // far below it
        assertEquals(0x8000, bf16(-0f));
        assertEquals(0x7fc0, bf16(Float.NaN));
    }

    private static int f16(float v) {
        return HalfFloats.toF16Bits(v) & 0xffff;
    }

    private static int bf16(float v) {
        return HalfFloats.toBf16Bits(v) & 0xffff;
    }
}
