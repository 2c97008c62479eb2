package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Weights created from a read-only mapping must be engine-owned copies: PiSSA writes W_res in place. */
class MappedWeightsAreCopiedIntoTheEngine {

    @Test
    void inPlaceUpdateAfterCloseWorks() {
        Path file = SharedData.require("models/aidreams260K/model.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w;
            float[] expected;
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                String name = "model.norm.weight";
                w = f.load(name, m);
                expected = f.readFloats(name);
            }
            System.gc();
            w.addi(1f);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += 1f;
            }
            assertArrayEquals(expected, w.toFloatArray(), 0f);
        }
    }
}
