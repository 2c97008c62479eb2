package dev.balora.objective;

import ai.djl.ndarray.NDArray;

/** A regularization term R(outputs) added to the task loss with a scheduled weight. */
public interface Regularizer {

    /** Short stable name used as the logging key, e.g. {@code "consistency"}. */
    String name();

    /**
     * Computes the term.
     *
     * <p>Intermediate arrays may be owned by the manager of the logits; callers run a training step inside a
     * sub-manager that is closed at step end.
     *
     * @param in the fine-tuned and reference outputs of one micro-batch
     * @return a scalar (shape []) through which gradients flow to {@code in.logits()} (or the hidden states)
     */
    NDArray compute(RegularizerInput in);
}
