package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge shapes load as what they are: a scalar (shape []) and empty tensors of every readable dtype. */
class ScalarsAndEmptyTensorsLoad {
    @TempDir
    Path dir;

    @Test
    void scalarAndEmptyTensors() {
        Path f = new SafetensorsFileBuilder()
                .f32("scale", new long[] {}, 0.125f)
                .bf16("bscale", new long[] {}, -3f)
                .f32("none", new long[] {0, 4})
                .f16("hnone", new long[] {0})
                .bf16("bnone", new long[] {3, 0})
                .f32("after", new long[] {2}, 1, 2)
                .write(dir.resolve("edge.safetensors"));
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            NDArray scale = s.load("scale", m);
            assertEquals(0, scale.getShape().dimension());
            assertEquals(0.125f, scale.getFloat());
            assertEquals(-3f, s.load("bscale", m).getFloat());
            for (String name : new String[] {"none", "hnone", "bnone"}) {
                assertEquals(0, s.readFloats(name).length, name);
                NDArray empty = s.load(name, m);
                assertArrayEquals(s.info(name).shape(), empty.getShape().getShape(), name);
                assertEquals(0, empty.size(), name);
            }
            assertArrayEquals(new float[] {1, 2}, s.load("after", m).toFloatArray());
        }
    }
}
