package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NaN or infinite weight is an error naming the file, the tensor, how many values and where the first is, in
 * F32, F16 and BF16 alike and through both read paths; the explicit opt-out loads the values as they are.
 */
class NonFiniteWeightsAreRefused {

    @Test
    void nanAndInfinityAreRefusedUnlessAllowed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.safetensors");
        new SafetensorsFileBuilder()
                .f32("ok", new long[] {2}, 1f, 2f)
                .f32("w32", new long[] {2, 2}, 1f, 2f, Float.NaN, Float.POSITIVE_INFINITY)
                .f16("w16", new long[] {3}, 0.5f, Float.NEGATIVE_INFINITY, 1f)
                .bf16("wbf", new long[] {2}, Float.NaN, 3f)
                .write(file);
        try (SafetensorsFile s = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {1f, 2f}, s.load("ok", m).toFloatArray());
            CheckpointException e = assertThrows(CheckpointException.class, () -> s.load("w32", m));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("w32"), e.getMessage());
            assertTrue(e.getMessage().contains("2 of 4 values are not finite (first at flat index 2: NaN)"),
                    e.getMessage());
            e = assertThrows(CheckpointException.class, () -> s.readFloats("w16"));
            assertTrue(e.getMessage().contains("1 of 3 values are not finite (first at flat index 1: -Infinity)"),
                    e.getMessage());
            e = assertThrows(CheckpointException.class, () -> s.load("wbf", m));
            assertTrue(e.getMessage().contains("first at flat index 0: NaN"), e.getMessage());

            System.setProperty(SafetensorsFile.ALLOW_NON_FINITE, "true");
            try {
                float[] w = s.load("w32", m).toFloatArray();
                assertTrue(Float.isNaN(w[2]) && w[3] == Float.POSITIVE_INFINITY);
                assertEquals(Float.NEGATIVE_INFINITY, s.readFloats("w16")[1]);
            } finally {
                System.clearProperty(SafetensorsFile.ALLOW_NON_FINITE);
            }
        }
    }
}
