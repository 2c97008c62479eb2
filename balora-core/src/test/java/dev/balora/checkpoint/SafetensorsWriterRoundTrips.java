package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import dev.balora.fixtures.HalfFloats;
import dev.balora.fixtures.RawSafetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's files read back exactly (F32) or as the independently computed round-to-nearest-even halves
 * (F16, BF16); the header carries {@code __metadata__ {"format":"pt"}}; a write that fails leaves the old file as it was.
 */
class SafetensorsWriterRoundTrips {

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

    /** Values that exercise every branch of F16 rounding: ties, subnormals, overflow edge, signs, specials. */
    private static float[] testValues() {
        Random r = new Random(42);
        float[] v = new float[4096];
        int i = 0;
        for (float s : new float[] {
            0f, -0f, 1f, -1f, 65504f, -65504f, 65519.996f, 0x1p-24f, 0x1p-25f, 0x1.000002p-25f, 0x1p-26f,
            0x1.8p-24f, 0x1.4p-24f, 0x1p-14f, 0x1.ffcp-15f, Float.MIN_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, 1.00048828125f, 1.00146484375f, 2049f, 2051f, -3.1415927f,
        }) {
            v[i++] = s;
        }
        while (i < 2048) {
            // Exact ties: a half value plus half its ulp, with a random sign and exponent in range.
            int e = r.nextInt(29) - 14;
            int mant = r.nextInt(1024);
            float half = (float) Math.scalb(1024 + mant, e - 10);
            float tie = half + (float) Math.scalb(1.0, e - 11);
            v[i++] = r.nextBoolean() ? tie : -tie;
        }
        while (i < v.length) {
            v[i++] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 28));
        }
        return v;
    }

    private static InMemoryTensors tensors(float[] values) {
        return new InMemoryTensors("test").put("w", new long[] {64, values.length / 64}, values)
                .put("b", new long[] {3}, new float[] {1, 2, 3})
                .put("scalar", new long[] {}, new float[] {0.5f});
    }

    @Test
    void f32IsBitExact() {
        float[] values = testValues();
        Path f = dir.resolve("f32.safetensors");
        SafetensorsWriter.write(f, tensors(values));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals(List.of("w", "b", "scalar"), List.copyOf(s.names()));
            assertArrayEquals(new long[] {64, 64}, s.info("w").shape());
            assertArrayEquals(new long[] {}, s.info("scalar").shape());
            float[] back = s.readFloats("w");
            for (int i = 0; i < values.length; i++) {
                if (Float.floatToRawIntBits(values[i]) != Float.floatToRawIntBits(back[i])) {
                    fail("element " + i + ": wrote " + values[i] + ", read " + back[i]);
                }
            }
            assertArrayEquals(new float[] {0.5f}, s.readFloats("scalar"));
        }
    }

    @Test
    void f16BitsAreTheIndependentRounding() throws IOException {
        float[] values = testValues();
        values[6] = 65504f; // F16 refuses to round a finite value to infinity: keep this file writable
        Path f = dir.resolve("f16.safetensors");
        SafetensorsWriter.write(f, tensors(values), DType.F16, Map.of());
        // Read the raw bytes with an independent parser, not with the reader under test.
        RawSafetensors raw = RawSafetensors.read(f);
        assertEquals(0, (8 + raw.headerLength()) % 8, "data section is 8-byte aligned");
        assertEquals("F16", raw.tensor("w").dtype());
        short[] bits = raw.tensor("w").shorts();
        assertEquals(values.length, bits.length);
        for (int i = 0; i < values.length; i++) {
            short written = bits[i];
            short expected = HalfFloats.toF16Bits(values[i]);
            boolean bothNaN = Float.isNaN(values[i]) && (written & 0x7c00) == 0x7c00 && (written & 0x3ff) != 0;
            if (written != expected && !bothNaN) {
                fail(String.format("element %d (%s): wrote %04x, independent rounding gives %04x", i, values[i],
                        written, expected));
            }
        }
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            float[] back = s.readFloats("w");
            for (int i = 0; i < values.length; i++) {
                float expected = HalfFloats.f16BitsToFloat(HalfFloats.toF16Bits(values[i]));
                if (Float.floatToIntBits(expected) != Float.floatToIntBits(back[i])) {
                    fail("element " + i + ": read " + back[i] + ", expected " + expected);
                }
            }
        }
    }

    @Test
    void headerCarriesFormatPtAndExtraMetadata() throws IOException {
        Path f = dir.resolve("meta.safetensors");
        SafetensorsWriter.write(f, tensors(new float[64]), DType.F32, Map.of("format", "np", "step", "7"));
        JsonObject meta = RawSafetensors.read(f).metadata();
        assertEquals("pt", meta.get("format").getAsString());
        assertEquals("7", meta.get("step").getAsString());
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals(Map.of("format", "pt", "step", "7"), s.metadata());
        }
    }

    @Test
    void failingWriteLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("model.safetensors");
        SafetensorsWriter.write(f, tensors(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
            18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
            44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64}));
        byte[] before = Files.readAllBytes(f);
        // The second tensor fails after the first one's bytes have gone out.
        InMemoryTensors data = new InMemoryTensors("failing").put("a", new long[] {100_000}, new float[100_000])
                .put("b", new long[] {1}, new float[1]);
        TensorSource failing = new TensorSource() {
            @Override
            public String location() {
                return "failing";
            }

            @Override
            public java.util.Set<String> names() {
                return data.names();
            }

            @Override
            public TensorInfo info(String name) {
                return data.info(name);
            }

            @Override
            public float[] readFloats(String name) {
                if (name.equals("b")) {
                    throw new CheckpointException("failing", name, "disk on fire");
                }
                return data.readFloats(name);
            }
        };
        assertThrows(CheckpointException.class, () -> SafetensorsWriter.write(f, failing));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void valueBeyondF16RangeIsRefusedNotTurnedIntoInfinity() throws IOException {
        Path f = dir.resolve("model.safetensors");
        SafetensorsWriter.write(f, tensors(new float[64]));
        byte[] before = Files.readAllBytes(f);
        InMemoryTensors big = new InMemoryTensors("trained").put("w", new long[] {2}, new float[] {1, 70000});
        assertNamed(() -> SafetensorsWriter.write(f, big, DType.F16, Map.of()), Path.of("trained"), "w", "70000",
                "F16");
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void namesAreKeptVerbatim() {
        String odd = "layer.0.\"quoted\" <b>&amp; caf\u00e9 \\ \u00fc\u2013\u4e2d";
        Path f = dir.resolve("names.safetensors");
        SafetensorsWriter.write(f, new InMemoryTensors("odd").put(odd, new long[] {1}, new float[] {4}));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals(List.of(odd), List.copyOf(s.names()));
            assertArrayEquals(new float[] {4}, s.readFloats(odd));
        }
    }

    /**
     * Every bfloat16 upper half with lower halves below, at, just above and past the rounding tie, and random
     * ones: the written bits equal the independent arithmetic rounding ({@link HalfFloats}), and reading back gives
     * the rounded values.
     */
    @Test
    void bf16BitsAreTheIndependentRounding() {
        Random r = new Random(7);
        int[] lows = {0x0000, 0x0001, 0x7fff, 0x8000, 0x8001, 0xffff, -1};
        float[] values = new float[65536 * lows.length];
        int n = 0;
        for (int hi = 0; hi < 65536; hi++) {
            for (int low : lows) {
                int bits = (hi << 16) | (low < 0 ? r.nextInt(65536) : low);
                float v = Float.intBitsToFloat(bits);
                // Finite values that round past the largest bfloat16 are refused (tested below): keep them out.
                values[n++] = Float.isFinite(v) && Math.abs(v) > 0x1.fep127f ? 1f : v;
            }
        }
        Path f = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(f, new InMemoryTensors("bf16 test").put("w", new long[] {values.length}, values),
                DType.BF16, Map.of());
        RawSafetensors.Tensor w = RawSafetensors.read(f).tensor("w");
        assertEquals("BF16", w.dtype());
        short[] bits = w.shorts();
        assertEquals(values.length, bits.length);
        for (int i = 0; i < values.length; i++) {
            short expected = HalfFloats.toBf16Bits(values[i]);
            boolean bothNaN = Float.isNaN(values[i]) && Float.isNaN(HalfFloats.bf16BitsToFloat(bits[i]));
            if (bits[i] != expected && !bothNaN) {
                fail(String.format("element %d (%s, bits %08x): wrote %04x, independent rounding gives %04x", i,
                        values[i], Float.floatToRawIntBits(values[i]), bits[i], expected));
            }
        }
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            float[] back = s.readFloats("w");
            for (int i = 0; i < values.length; i++) {
                float expected = HalfFloats.bf16BitsToFloat(HalfFloats.toBf16Bits(values[i]));
                if (Float.floatToIntBits(expected) != Float.floatToIntBits(back[i])) {
                    fail("element " + i + ": read " + back[i] + ", expected " + expected);
                }
            }
        }
    }

    @Test
    void bf16HandValues() {
        // 1 + 2^-8 is the tie between 1 and 1 + 2^-7: even mantissa (1) wins; 1 + 3 * 2^-8 rounds up to the even
        // 1 + 2^-6; a hair above a tie rounds up; the smallest float subnormal rounds to zero.
        float[] v = {1f + 0x1p-8f, 1f + 3 * 0x1p-8f, 1f + 0x1p-8f + 0x1p-23f, Float.MIN_VALUE, -2.5f};
        short[] expected = {0x3f80, 0x3f82, 0x3f81, 0x0000, (short) 0xc020};
        Path f = dir.resolve("hand.safetensors");
        SafetensorsWriter.write(f, new InMemoryTensors("hand").put("w", new long[] {v.length}, v), DType.BF16,
                Map.of());
        assertArrayEquals(expected, RawSafetensors.read(f).tensor("w").shorts());
    }

    @Test
    void valueBeyondBf16RangeIsRefusedNotTurnedIntoInfinity() throws IOException {
        Path f = dir.resolve("model.safetensors");
        SafetensorsWriter.write(f, tensors(new float[64]));
        byte[] before = Files.readAllBytes(f);
        InMemoryTensors big = new InMemoryTensors("merged").put("w", new long[] {2},
                new float[] {1, Float.MAX_VALUE});
        assertNamed(() -> SafetensorsWriter.write(f, big, DType.BF16, Map.of()), Path.of("merged"), "w", "BF16");
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
