package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a tensor with the shape the configuration implies fails, naming the file, the tensor and both shapes,
 * when the stored shape differs (a transposed weight has the same element count and would otherwise pass).
 */
class ShapeMismatchNamesTensor {
    @TempDir
    Path dir;

    @Test
    void transposedWeightIsRefused() {
        Path f = new SafetensorsFileBuilder().f32("q.weight", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
                .write(dir.resolve("model.safetensors"));
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            assertNamed(() -> s.load("q.weight", m, 3, 2), f, "q.weight", "[2, 3]", "[3, 2]");
            assertNamed(() -> s.load("q.weight", m, 6), f, "q.weight", "[2, 3]", "[6]");
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, s.load("q.weight", m, 2, 3).toFloatArray());
            assertArrayEquals(new long[] {2, 3}, s.load("q.weight", m, 2, 3).getShape().getShape());
        }
    }

    @Test
    void inMemoryTensorsCheckShapesAlike() {
        InMemoryTensors t = new InMemoryTensors("imported.onnx").put("b", new long[] {4}, new float[4]);
        try (NDManager m = NDManager.newBaseManager()) {
            assertNamed(() -> t.load("b", m, 5), Path.of("imported.onnx"), "b", "[4]", "[5]");
        }
    }
}
