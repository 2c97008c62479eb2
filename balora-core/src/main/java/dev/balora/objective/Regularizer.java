package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import java.util.Map;

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

    /**
     * Whether this term reads the pooled hidden states ({@link RegularizerInput#hiddenStates()} and
     * {@link RegularizerInput#referenceHiddenStates()}); a task computes, pools and caches them only when some term
     * does. The default (false) is right for every term that reads only logits.
     *
     * @return true when {@link #compute} needs the hidden states of both passes
     */
    default boolean readsHiddenStates() {
        return false;
    }

    /**
     * The positions of sequence logits [B, T, V] this term reads, so that a task may compute the output head only
     * at the union of the positions its losses read and hand the rows over with
     * {@link RegularizerInput.Builder#setLogitRows}. A term that declares them must read the logits only through
     * {@link RegularizerInput#logitRows()} / {@link RegularizerInput#rowsAt}.
     *
     * @param layout the batch's labels and token mask
     * @return flags over the flat positions {@code b * T + t}; null (the default) = every position, and the term
     *     receives the whole logits
     */
    default boolean[] positionsRead(TokenLayout layout) {
        return null;
    }

    /**
     * The term's value and its gradient with respect to {@link RegularizerInput#logitRows()}, built by hand, or null
     * when the term does not build its gradient that way for this input (then {@link #compute} is used). The
     * objective sums the weighted gradients of every such term in one buffer and attaches them through one
     * product instead of one graph node per term. Must agree with {@code compute} in value and gradient.
     *
     * @param in the outputs of one micro-batch (sequence logits)
     * @return the value and the gradient (handed over), or null
     */
    default RowGradient gradientOnRows(RegularizerInput in) {
        return null;
    }

    /**
     * Derives, in the reference pass (no gradient, before the trainable forward), what {@link #compute} needs from
     * the reference outputs, so that the step does not re-derive it (e.g. the reference log-probabilities at a
     * temperature). {@code compute} finds each value under its key in {@link RegularizerInput#referenceValue} and
     * must still work without it (from the reference logits).
     *
     * @param reference the reference pass's outputs in the place of the logits (same layout and labels as the
     *     training input will have), no gradient
     * @return values by key (keys should start with the term's name); the default derives nothing
     */
    default Map<String, NDArray> referenceValues(RegularizerInput reference) {
        return Map.of();
    }
}
