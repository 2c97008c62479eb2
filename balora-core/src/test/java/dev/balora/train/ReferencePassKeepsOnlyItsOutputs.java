package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.nn.ForwardContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer frees the reference pass's intermediates as soon as it returns, whatever manager they attached to,
 * and keeps its outputs alive (on the micro-batch's manager) until the loss has used them.
 */
class ReferencePassKeepsOnlyItsOutputs {

    /** Cross-entropy plus a drift term against a reference pass that leaves temporaries on two managers. */
    static final class Recording implements TrainingTask {
        final TinyClassifier model;
        final List<NDArray> intermediates = new ArrayList<>();
        final List<NDArray> outputs = new ArrayList<>();
        int checked;

        Recording(TinyClassifier model) {
            this.model = model;
        }

        @Override
        public NDList reference(Batch batch, StepContext ctx) {
            NDArray scaled = batch.get("features").mul(1f); // attaches to the batch's (micro-batch) manager
            NDArray weightCopy = model.out.weight().array().mul(1f); // attaches to the parameters' manager
            intermediates.add(scaled);
            intermediates.add(weightCopy);
            NDArray logits = model.forward(scaled, ForwardContext.REFERENCE);
            outputs.add(logits);
            return new NDList(logits);
        }

        @Override
        public StepLoss loss(Batch batch, NDList reference, StepContext ctx) {
            for (NDArray a : intermediates) {
                assertTrue(a.isReleased(), "a reference-pass temporary is still alive during the loss");
            }
            NDArray ref = reference.get(0);
            assertFalse(ref.isReleased(), "the reference output must live until the loss has used it");
            assertSame(ctx.manager(), ref.getManager(), "the reference output belongs to the micro-batch");
            checked++;
            NDArray logits = model.forward(batch.get("features"), ctx.forward());
            NDArray ce = logits.logSoftmax(-1).mul(batch.labels().oneHot(TinyClassifier.CLASSES)).sum(new int[] {-1})
                    .mean().neg();
            return StepLoss.of(ce.add(logits.sub(ref).square().mean()));
        }
    }

    @Test
    void temporariesGoRightAwayOutputsAtTheEndOfTheMicroBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0f);
            Recording task = new Recording(model);
            TrainerConfig config = TrainerRuns.config().optGradientAccumulation(2).optMaxSteps(3).build();
            TrainerRuns.Run run = TrainerRuns.runWith(model, task, new FeatureData(64, 3, BatchOrder.SEQUENTIAL),
                    config);
            assertEquals(3, run.steps.size());
            assertEquals(6, task.checked, "two micro-batches per step");
            assertTrue(run.steps.stream().noneMatch(StepRecord::skipped));
            for (NDArray a : task.outputs) {
                assertTrue(a.isReleased(), "reference outputs are freed with their micro-batch");
            }
        }
    }
}
