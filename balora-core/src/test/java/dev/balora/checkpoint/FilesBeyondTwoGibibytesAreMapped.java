package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors are mapped one by one at 64-bit offsets, so a file larger than 2 GiB reads like any other; a single
 * tensor too large for one array is refused with its name. The files are sparse: a few blocks on disk.
 */
class FilesBeyondTwoGibibytesAreMapped {
    private static final long PAD_BYTES = (1L << 31) + 4096; // just past what an int can address

    @TempDir
    Path dir;

    @Test
    void tensorBehindTwoGibibytesIsReadExactly() throws IOException {
        Path f = new SafetensorsFileBuilder()
                .sparse("pad", "F16", new long[] {PAD_BYTES / 2}, PAD_BYTES)
                .f32("tail", new long[] {2, 2}, 1.5f, -2f, 3.25f, 1e-30f)
                .write(dir.resolve("big.safetensors"));
        assertTrue(Files.size(f) > PAD_BYTES);
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 1e-30f}, s.readFloats("tail"));
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 1e-30f}, s.load("tail", m, 2, 2).toFloatArray());
            assertNamed(() -> s.readFloats("pad"), f, "pad", "2 GiB");
        }
    }

    @Test
    void halfTensorTooLargeOnceWidenedIsRefusedBeforeAllocating() {
        // 600M F16 elements fit one mapping (1.2 GB) but not one FP32 array (2.4 GB).
        long elements = 600_000_000L;
        Path f = new SafetensorsFileBuilder()
                .sparse("embed", "BF16", new long[] {elements}, elements * 2)
                .write(dir.resolve("wide.safetensors"));
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            assertNamed(() -> s.load("embed", m), f, "embed", "2 GiB");
        }
    }
}
