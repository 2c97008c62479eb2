package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.balora.fixtures.HalfFloats;
import dev.balora.fixtures.SafetensorsFileBuilder;
import dev.balora.fixtures.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F16 and BF16 tensors arrive as the exact FP32 values their bits stand for, widened in Java (a BF16 array in
 * the engine aborts the JVM), both through {@code readFloats} and through {@code load}.
 */
class Bf16AndF16AreWidenedInJava {

    // These files hold NaN and infinities on purpose (every bit pattern): the reader's finiteness check is waived.
    @org.junit.jupiter.api.BeforeAll
    static void allowNonFinite() {
        System.setProperty(SafetensorsFile.ALLOW_NON_FINITE, "true");
    }

    @org.junit.jupiter.api.AfterAll
    static void checkFiniteAgain() {
        System.clearProperty(SafetensorsFile.ALLOW_NON_FINITE);
    }
    @TempDir
    Path dir;

    /** BF16 bit patterns and the floats they stand for, worked out by hand. */
    private static final short[] BF16_BITS = {
        0x3f80, (short) 0xbf80, 0x4049, (short) 0xc2f7, 0x0000, (short) 0x8000, 0x0080, 0x0001, 0x007f,
        0x7f7f, 0x7f80, (short) 0xff80, 0x7fc0, (short) 0xffc1,
    };
    private static final float[] BF16_VALUES = {
        1f, -1f, 3.140625f, -123.5f, 0f, -0f, 0x1p-126f, 0x1p-133f, 0x7fp-133f,
        0x1.fep127f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.NaN,
    };

    /** IEEE half bit patterns and the floats they stand for, worked out by hand. */
    private static final short[] F16_BITS = {
        0x3c00, (short) 0xc000, 0x3555, 0x3bff, 0x0000, (short) 0x8000, 0x0001, 0x03ff, (short) 0x8200,
        0x0400, 0x7bff, (short) 0xfbff, 0x7c00, (short) 0xfc00, 0x7e00, 0x7c01,
    };
    private static final float[] F16_VALUES = {
        1f, -2f, 0x1.554p-2f, 0x1.ffcp-1f, 0f, -0f, 0x1p-24f, 0x3ffp-24f, -0x200p-24f,
        0x1p-14f, 65504f, -65504f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.NaN,
    };

    @Test
    void bf16BitPatternsWidenExactly() {
        Path f = new SafetensorsFileBuilder().bf16Bits("t", new long[] {BF16_BITS.length}, BF16_BITS)
                .write(dir.resolve("bf16.safetensors"));
        checkBothPaths(f, BF16_VALUES);
    }

    @Test
    void f16BitPatternsWidenExactly() {
        Path f = new SafetensorsFileBuilder().f16Bits("t", new long[] {F16_BITS.length}, F16_BITS)
                .write(dir.resolve("f16.safetensors"));
        checkBothPaths(f, F16_VALUES);
    }

    @Test
    void everyF16PatternAgreesWithTheIndependentDecoder() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f16 = DType.f16ToFloat((short) bits);
            float bf16 = DType.bf16ToFloat((short) bits);
            if (!same(HalfFloats.f16BitsToFloat((short) bits), f16)
                    || !same(HalfFloats.bf16BitsToFloat((short) bits), bf16)) {
                fail(String.format("bits %04x: f16 %s, bf16 %s", bits, f16, bf16));
            }
        }
    }

    private static void checkBothPaths(Path f, float[] expected) {
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            float[] read = s.readFloats("t");
            NDArray loaded = s.load("t", m);
            assertEquals(DataType.FLOAT32, loaded.getDataType());
            float[] fromEngine = loaded.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertSame(expected[i], read[i], "readFloats element " + i);
                assertSame(expected[i], fromEngine[i], "load element " + i);
            }
        }
    }

    private static boolean same(float a, float b) {
        return Float.isNaN(a) ? Float.isNaN(b) : Float.floatToIntBits(a) == Float.floatToIntBits(b);
    }

    /** Equal as values, with -0 told apart from 0 and any NaN equal to any NaN. */
    private static void assertSame(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": expected NaN, got " + actual);
        } else {
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                    what + ": expected " + expected + ", got " + actual);
        }
    }

    @Test
    void realBf16CheckpointIsTheRoundedF32One() {
        Path f32Dir = SharedData.require("models/aidreams260K");
        Path bf16Dir = SharedData.require("models/aidreams260K-bf16");
        try (HfCheckpoint f32 = HfCheckpoint.open(f32Dir); HfCheckpoint bf16 = HfCheckpoint.open(bf16Dir);
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(f32.tensors().names(), bf16.tensors().names());
            assertEquals(38, bf16.tensors().names().size());
            long changed = 0;
            for (String name : f32.tensors().names()) {
                TensorInfo info = bf16.tensors().info(name);
                assertEquals(DType.BF16, info.dtype(), name);
                assertEquals(f32.tensors().info(name).shapeText(), info.shapeText(), name);
                float[] exact = f32.tensors().readFloats(name);
                float[] widened = bf16.tensors().readFloats(name);
                float[] loaded;
                try (NDManager step = m.newSubManager()) {
                    loaded = bf16.tensors().load(name, step, info.shape()).toFloatArray();
                }
                for (int i = 0; i < exact.length; i++) {
                    changed += widened[i] != exact[i] ? 1 : 0;
                    float rounded = HalfFloats.bf16BitsToFloat(HalfFloats.toBf16Bits(exact[i]));
                    // BF16 keeps 8 significant bits: rounding moves a value by at most 2^-8 of its size; and
                    // the value is exactly the round-to-nearest-even one, computed independently.
                    if (Math.abs(widened[i] - exact[i]) > Math.abs(exact[i]) * 0x1p-8f || rounded != widened[i]
                            || loaded[i] != widened[i]) {
                        fail(name + "[" + i + "]: F32 " + exact[i] + ", expected BF16 " + rounded + ", read "
                                + widened[i] + ", loaded " + loaded[i]);
                    }
                }
            }
            // The two files really differ: most F32 weights are not BF16 values.
            assertTrue(changed > 1000, "only " + changed + " values changed by rounding");
        }
    }
}
