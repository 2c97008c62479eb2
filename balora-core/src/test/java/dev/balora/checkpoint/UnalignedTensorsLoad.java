package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format does not promise aligned data: a tensor after a one-byte tensor, or after an unpadded header,
 * starts at an odd address and must still load exactly (mapped F32 goes to the engine as is).
 */
class UnalignedTensorsLoad {
    @TempDir
    Path dir;

    @Test
    void tensorAfterAOneByteTensor() {
        Path f = new SafetensorsFileBuilder()
                .raw("flag", "U8", new long[] {1}, new byte[] {1})
                .f32("w", new long[] {3}, 1.25f, -2f, 3e-7f)
                .bf16("h", new long[] {2}, 0.5f, -8f)
                .write(dir.resolve("odd.safetensors"));
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {1.25f, -2f, 3e-7f}, s.readFloats("w"));
            assertArrayEquals(new float[] {1.25f, -2f, 3e-7f}, s.load("w", m).toFloatArray());
            assertArrayEquals(new float[] {0.5f, -8f}, s.load("h", m).toFloatArray());
        }
    }

    @Test
    void unpaddedHeaderOfOddLength() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Path f = new SafetensorsFileBuilder().f32("w", new long[] {2}, 6.5f, -0.125f)
                .rawHeader(header + (header.length() % 2 == 0 ? " " : ""))
                .write(dir.resolve("unpadded.safetensors"));
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {6.5f, -0.125f}, s.load("w", m).toFloatArray());
        }
    }
}
