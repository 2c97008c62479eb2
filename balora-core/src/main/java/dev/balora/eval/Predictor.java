package dev.balora.eval;

import ai.djl.ndarray.NDArray;
import dev.balora.data.Batch;

/** Runs a model on a batch for evaluation (no gradients, no dropout): class logits [B, C] or scores [B] / [B, 1]. */
@FunctionalInterface
public interface Predictor {

    /**
     * Predicts.
     *
     * @param batch the batch; its arrays belong to a manager closed after the call
     * @return logits [B, C] for classification, values [B] or [B, 1] for regression
     */
    NDArray predict(Batch batch);
}
