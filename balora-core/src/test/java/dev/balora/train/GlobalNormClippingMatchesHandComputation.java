package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalNormClippingMatchesHandComputation {

    @Test
    void scalesAllGradientsByOneFactorWhenTheJointNormIsTooLarge() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3, 4});
            NDArray b = m.create(new float[] {12});
            List<NDArray> grads = List.of(a, b);
            double norm = GradientClipping.globalNorm(grads);
            assertEquals(13.0, norm, 1e-6); // sqrt(9 + 16 + 144)
            double coef = GradientClipping.clip(grads, norm, 6.5);
            assertEquals(6.5 / (13 + 1e-6), coef, 1e-12);
            // Direction kept: each element scaled by 1/2 (up to the 1e-6 guard), unlike element-wise clamping.
            assertArrayEquals(new float[] {1.5f, 2f}, a.toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {6f}, b.toFloatArray(), 1e-5f);
            assertEquals(6.5, GradientClipping.globalNorm(grads), 1e-5);
        }
    }

    @Test
    void leavesSmallGradientsAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {0.3f, -0.4f});
            List<NDArray> grads = List.of(a);
            double norm = GradientClipping.globalNorm(grads);
            assertEquals(0.5, norm, 1e-6);
            assertEquals(1.0, GradientClipping.clip(grads, norm, 1.0));
            assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray(), 0f);
        }
    }
}
