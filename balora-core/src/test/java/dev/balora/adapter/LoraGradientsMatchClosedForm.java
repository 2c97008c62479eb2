package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.nn.EngineArrays;
import dev.balora.nn.ForwardContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The trainable LoRA branch's gradients equal the closed form of {@code L = sum(R * s (x A^T) B^T)}, computed on
 * the host in double: {@code dL/dB = s R^T (x A^T)} and {@code dL/dA = s B^T R^T x}. Guards where the scaling is
 * applied (the [..., r] intermediate) and the scalar's lifetime through backward.
 */
class LoraGradientsMatchClosedForm {
    private static final int N = 5;
    private static final int IN = 7;
    private static final int OUT = 6;
    private static final int R = 3;
    private static final double S = 1.75;

    @Test
    void gradientsOfAAndBMatchHostComputation() {
        Random rnd = new Random(11);
        float[] x = random(rnd, N * IN);
        float[] a = random(rnd, R * IN);
        float[] b = random(rnd, OUT * R);
        float[] r = random(rnd, N * OUT);
        try (NDManager m = NDManager.newBaseManager()) {
            LoraAdapter adapter = new LoraAdapter("layer", EngineArrays.own(m.create(a, new Shape(R, IN))),
                    EngineArrays.own(m.create(b, new Shape(OUT, R))), S * R, S, 0);
            NDArray xs = EngineArrays.own(m.create(x, new Shape(N, IN)));
            NDArray rs = EngineArrays.own(m.create(r, new Shape(N, OUT)));
            float[] gradA;
            float[] gradB;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray loss = adapter.delta(xs, ForwardContext.TRAINING).mul(rs).sum();
                c.backward(loss);
            }
            gradA = adapter.a().array().getGradient().toFloatArray();
            gradB = adapter.b().array().getGradient().toFloatArray();

            double[] h = new double[N * R]; // x A^T
            for (int n = 0; n < N; n++) {
                for (int k = 0; k < R; k++) {
                    for (int i = 0; i < IN; i++) {
                        h[n * R + k] += (double) x[n * IN + i] * a[k * IN + i];
                    }
                }
            }
            for (int o = 0; o < OUT; o++) {
                for (int k = 0; k < R; k++) {
                    double g = 0;
                    for (int n = 0; n < N; n++) {
                        g += r[n * OUT + o] * h[n * R + k];
                    }
                    assertEquals(S * g, gradB[o * R + k], 1e-4 * (1 + Math.abs(S * g)), "dL/dB[" + o + "," + k + "]");
                }
            }
            for (int k = 0; k < R; k++) {
                for (int i = 0; i < IN; i++) {
                    double g = 0;
                    for (int n = 0; n < N; n++) {
                        double rb = 0; // (R B)[n, k]
                        for (int o = 0; o < OUT; o++) {
                            rb += (double) r[n * OUT + o] * b[o * R + k];
                        }
                        g += rb * x[n * IN + i];
                    }
                    assertEquals(S * g, gradA[k * IN + i], 1e-4 * (1 + Math.abs(S * g)), "dL/dA[" + k + "," + i + "]");
                }
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rnd.nextGaussian();
        }
        return out;
    }
}
