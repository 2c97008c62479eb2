package dev.balora.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LinearMatchesHandComputation {

    @Test
    void weightIsOutByInAndBiasIsAdded() {
        try (NDManager m = NDManager.newBaseManager()) {
            // W [out=2, in=3], b [2], x [1, 3]
            NDArray w = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray b = m.create(new float[] {0.5f, -1f});
            Linear linear = new Linear("encoder.layer.0.attention.self.query", w, b);
            NDArray x = m.create(new float[] {1, 0, -1}, new Shape(1, 3));
            float[] y = linear.forward(x, ForwardContext.INFERENCE).toFloatArray();
            // Hand-computed: [1-3+0.5, 4-6-1]
            assertArrayEquals(new float[] {-1.5f, -3f}, y, 1e-6f);
        }
    }
}
