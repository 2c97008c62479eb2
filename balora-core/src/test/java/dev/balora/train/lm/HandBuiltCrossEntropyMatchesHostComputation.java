package dev.balora.train.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.objective.RowGradient;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cross-entropy of logit rows with its hand-built gradient (what the causal-LM task attaches instead of
 * autograd's log-softmax and gather): value and gradient, attached through {@link RowGradient#attach}, match a host
 * computation in double; rows whose target is ignored get no gradient.
 */
class HandBuiltCrossEntropyMatchesHostComputation {

    @Test
    void valueAndGradient() {
        int n = 5;
        int v = 7;
        long[] targets = {3, ShiftedCrossEntropy.IGNORE_INDEX, 0, 6, 3};
        Random r = new Random(9);
        float[] z = new float[n * v];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (3 * r.nextGaussian());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray rows = m.create(z, new Shape(n, v));
            rows.setRequiresGradient(true);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                RowGradient ce = ShiftedCrossEntropy.meanRowsByHand(rows, targets);
                value = ce.value();
                NDArray loss = RowGradient.attach(rows, ce.gradient(), ce.value());
                assertEquals(value, loss.getFloat(), 1e-6 * Math.abs(value));
                gc.backward(loss);
            }
            float[] g = rows.getGradient().toFloatArray();
            double sum = 0;
            int count = 4;
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < v; k++) {
                    max = Math.max(max, z[i * v + k]);
                }
                double norm = 0;
                for (int k = 0; k < v; k++) {
                    norm += Math.exp(z[i * v + k] - max);
                }
                for (int k = 0; k < v; k++) {
                    double want = 0;
                    if (targets[i] != ShiftedCrossEntropy.IGNORE_INDEX) {
                        want = (Math.exp(z[i * v + k] - max) / norm - (k == targets[i] ? 1 : 0)) / count;
                    }
                    assertEquals(want, g[i * v + k], 1e-6, "gradient [" + i + ", " + k + "]");
                }
                if (targets[i] != ShiftedCrossEntropy.IGNORE_INDEX) {
                    sum += max + Math.log(norm) - z[i * v + (int) targets[i]];
                }
            }
            assertEquals(sum / count, value, 1e-5);
            assertThrows(IllegalArgumentException.class, () -> ShiftedCrossEntropy.meanRowsByHand(rows,
                    new long[] {-100, -100, -100, -100, -100}));
            assertThrows(IllegalArgumentException.class, () -> ShiftedCrossEntropy.meanRowsByHand(rows,
                    new long[] {7, 0, 0, 0, 0}));
        }
    }
}
