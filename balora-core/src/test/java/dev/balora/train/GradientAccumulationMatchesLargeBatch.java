package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import org.junit.jupiter.api.Test;

class GradientAccumulationMatchesLargeBatch {

    @Test
    void fourMicroBatchesOfEightEqualOneBatchOf32() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 64 examples in dataset order: each optimizer step sees the same 32 examples either way.
            TrainerConfig big = TrainerRuns.config().setBatchSize(32).optEpochs(3).optWeightDecay(0.01f)
                    .optMaxGradNorm(0.5).build();
            TrainerConfig acc = TrainerRuns.config().setBatchSize(8).optGradientAccumulation(4).optEpochs(3)
                    .optWeightDecay(0.01f).optMaxGradNorm(0.5).build();
            TrainerRuns.Run a = TrainerRuns.run(m, big, BatchOrder.SEQUENTIAL, 0f, null, null);
            TrainerRuns.Run b = TrainerRuns.run(m, acc, BatchOrder.SEQUENTIAL, 0f, null, null);
            assertEquals(6, a.steps.size());
            assertEquals(6, b.steps.size());
            for (int i = 0; i < 6; i++) {
                // The mean loss and the gradient norm agree up to float summation order.
                assertEquals(a.steps.get(i).loss(), b.steps.get(i).loss(), 1e-6, "loss at step " + (i + 1));
                assertEquals(a.steps.get(i).gradNorm(), b.steps.get(i).gradNorm(), 1e-5, "norm at step " + (i + 1));
                assertEquals(32, b.steps.get(i).examples());
            }
            // Parameters after 6 AdamW updates: tolerance 1e-5 absolute (float32 summation order only).
            for (int p = 0; p < a.params.length; p++) {
                assertArrayEquals(a.params[p], b.params[p], 1e-5f, "parameter " + p);
            }
        }
    }
}
