package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.balora.data.Batch;
import java.util.Map;
import java.util.Set;

/** Test task: mean cross-entropy of the tiny classifier, optionally returning NaN at chosen steps. */
final class CrossEntropyTask implements TrainingTask {
    final TinyClassifier model;
    final Set<Integer> nanSteps;
    final int nanFrom;

    CrossEntropyTask(TinyClassifier model) {
        this(model, Set.of(), Integer.MAX_VALUE);
    }

    CrossEntropyTask(TinyClassifier model, Set<Integer> nanSteps, int nanFrom) {
        this.model = model;
        this.nanSteps = nanSteps;
        this.nanFrom = nanFrom;
    }

    @Override
    public StepLoss loss(Batch batch, NDList reference, StepContext ctx) {
        NDArray logits = model.forward(batch.get("features"), ctx.forward());
        NDArray logp = logits.logSoftmax(-1);
        NDArray picked = logp.mul(batch.labels().oneHot(TinyClassifier.CLASSES)).sum(new int[] {-1});
        NDArray loss = picked.mean().neg();
        if (nanSteps.contains(ctx.step()) || ctx.step() >= nanFrom) {
            loss = loss.mul(Float.NaN);
        }
        NDArray l2 = model.out.weight().array().square().sum();
        return new StepLoss(loss, Map.of("task", (double) loss.getFloat(), "head_l2", (double) l2.getFloat()),
                Map.of("task", 1.0, "head_l2", 0.0));
    }
}
