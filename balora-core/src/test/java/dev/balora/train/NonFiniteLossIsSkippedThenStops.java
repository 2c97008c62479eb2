package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NonFiniteLossIsSkippedThenStops {

    @TempDir
    Path tmp;

    @Test
    void aSingleNanStepIsSkippedWithoutTouchingTheParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0f);
            List<float[]> before = new ArrayList<>();
            TrainerConfig config = TrainerRuns.config().optEpochs(2).build(); // 4 steps per epoch
            TrainerRuns.Run run = TrainerRuns.run(model, new CrossEntropyTask(model, Set.of(2), Integer.MAX_VALUE),
                    new FeatureData(64, 3, BatchOrder.BUCKETED), config, null, r -> {
                        if (r.step() == 2 || r.step() == 3) {
                            before.add(model.out.weight().array().toFloatArray());
                        }
                    });
            assertEquals(8, run.result.steps());
            assertEquals(7, run.result.updates());
            assertEquals(1, run.result.skippedSteps());
            StepRecord skipped = run.steps.get(2); // step index 2 = the third step
            assertTrue(skipped.skipped());
            assertTrue(Double.isNaN(skipped.loss()));
            // Step 3 (skipped) left the weights exactly as step 2 had them.
            assertArrayEquals(before.get(0), before.get(1), 0f);
            assertFalse(run.steps.get(3).skipped());
            assertTrue(Double.isFinite(run.steps.get(3).loss()));
        }
    }

    @Test
    void aFiniteLossWithANonFiniteGradientIsSkippedToo() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0f);
            CrossEntropyTask ce = new CrossEntropyTask(model);
            // At step 1: + sqrt(w - w), whose value is 0 and whose gradient 1 / (2 sqrt(0)) is infinite.
            TrainingTask task = (batch, reference, ctx) -> {
                StepLoss sl = ce.loss(batch, reference, ctx);
                if (ctx.step() != 1) {
                    return sl;
                }
                NDArray w = model.out.weight().array();
                NDArray zero = w.sub(w.stopGradient()).sum().sqrt();
                return new StepLoss(sl.loss().add(zero), sl.terms(), sl.weights());
            };
            List<float[]> weights = new ArrayList<>();
            TrainerRuns.Run run = TrainerRuns.run(model, task, new FeatureData(64, 3, BatchOrder.BUCKETED),
                    TrainerRuns.config().optEpochs(1).build(), null,
                    r -> weights.add(model.out.weight().array().toFloatArray()));
            StepRecord skipped = run.steps.get(1);
            assertTrue(Double.isFinite(skipped.terms().get("task")), "the loss itself was finite");
            assertTrue(skipped.skipped());
            assertFalse(Double.isFinite(skipped.gradNorm()));
            assertEquals(1, run.result.skippedSteps());
            assertArrayEquals(weights.get(0), weights.get(1), 0f);
            assertFalse(run.steps.get(2).skipped());
        }
    }

    @Test
    void stopsAfterNConsecutiveAndKeepsTheLastGoodCheckpoint() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0f);
            Path out = tmp.resolve("run");
            TrainerConfig config = TrainerRuns.config().optEpochs(3).optCheckpointEvery(1)
                    .optMaxConsecutiveNonFinite(3).optOutputDir(out).build();
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> TrainerRuns.run(model,
                    new CrossEntropyTask(model, Set.of(), 4), new FeatureData(64, 3, BatchOrder.BUCKETED), config,
                    null, null));
            assertEquals(7, e.step()); // steps 5, 6, 7 (0-based 4, 5, 6) were NaN
            assertEquals(out.resolve("checkpoints").resolve("step-0000004").toAbsolutePath(),
                    e.lastGoodCheckpoint().toAbsolutePath());
            assertEquals("step-0000004", Files.readString(out.resolve("checkpoints/latest")).strip());
            TrainerState state = TrainingCheckpoint.readState(e.lastGoodCheckpoint());
            assertEquals(4, state.step());
            assertEquals(4, state.updates());
            assertTrue(Double.isFinite(state.lastLoss()));
            assertEquals(7, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        }
    }
}
