package dev.balora.train;

import ai.djl.ndarray.NDList;
import dev.balora.data.Batch;

/**
 * The model-specific half of training: turns a batch into a loss. The {@link Trainer} owns everything else
 * (optimizer, schedule, accumulation, clipping, checkpoints), so classification, causal-LM and BA-LoRA objectives
 * plug in without the trainer knowing any model, adapter or regularizer class.
 *
 * <p>Both methods run inside an {@link ai.djl.ndarray.NDScope} that the trainer closes at the end of the
 * micro-batch: every array created there is freed then, whatever manager it attached to. An array that must
 * outlive the step (a reference-logit cache, lazily created state) must be {@code NDScope.unregister}ed and
 * attached to a long-lived manager.
 */
public interface TrainingTask {

    /**
     * Computes what the loss needs from the frozen reference model (the adapters' initial state, initial heads),
     * WITHOUT gradients: the trainer calls this outside its GradientCollector, in a scope of its own. When it
     * returns, the returned arrays are moved to the micro-batch's manager and every other array created during the
     * call is freed, so return only arrays created here (or copies), never one a long-lived manager must keep.
     * The default needs none.
     *
     * @param batch the micro-batch
     * @param context the step; its manager is a sub-manager closed right after this call
     * @return reference outputs handed to {@link #loss}
     */
    default NDList reference(Batch batch, StepContext context) {
        return new NDList();
    }

    /**
     * Computes the loss of a micro-batch; called inside the trainer's GradientCollector.
     *
     * @param batch the micro-batch
     * @param reference what {@link #reference} returned for this batch
     * @param context the step
     * @return the scalar loss (mean over the batch's examples) and its named terms
     */
    StepLoss loss(Batch batch, NDList reference, StepContext context);
}
