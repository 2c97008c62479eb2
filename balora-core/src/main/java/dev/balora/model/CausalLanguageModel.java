package dev.balora.model;

import ai.djl.ndarray.NDArray;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;

/**
 * A decoder-only language model: token ids (and a padding mask) in, next-token logits out, optionally over a KV cache.
 *
 * <p>Intermediate arrays and the result belong to the manager of {@code inputIds}: run each call inside a
 * sub-manager and close it afterwards.
 */
public interface CausalLanguageModel extends PretrainedModel {

    /** Size of the vocabulary (the last axis of the logits). */
    int vocabSize();

    /** Number of decoder layers (the size of a KV cache). */
    int numLayers();

    /** The largest position the model has embeddings or was trained for, or {@code Integer.MAX_VALUE}. */
    int maxPositions();

    /**
     * Runs the decoder.
     *
     * @param inputIds new tokens, [batch, tokens], integer type
     * @param attentionMask 1 for real and 0 for padding slots over the cached and the new tokens,
     *     [batch, cached + tokens]; null when nothing is padded. Positions follow from it, so left padding works.
     * @param cache keys and values of earlier steps, extended by this call; null to run without a cache
     * @param context forward mode
     * @return logits, [batch, tokens, vocab]
     */
    NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache, ForwardContext context);

    /** The logits of every position of a whole (possibly padded) batch, without a cache. */
    default NDArray logits(NDArray inputIds, NDArray attentionMask, ForwardContext context) {
        return forward(inputIds, attentionMask, null, context);
    }

    /**
     * Whether {@link #hiddenStates} and {@link #headLogits} are available, so that a caller can run the output head
     * only on the positions it needs (the head is [vocab, hidden]: on a 32k vocabulary a large share of the forward).
     */
    default boolean splitsHead() {
        return false;
    }

    /**
     * The final hidden states (after the final norm, the input of the output head) of a whole batch, without a cache.
     *
     * @param inputIds [batch, tokens]
     * @param attentionMask [batch, tokens] or null, as in {@link #forward}
     * @param context forward mode
     * @return [batch, tokens, hidden]; {@code headLogits} of it equals {@link #logits}
     * @throws UnsupportedOperationException when {@link #splitsHead()} is false
     */
    default NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, ForwardContext context) {
        throw new UnsupportedOperationException(modelType() + " does not split its output head off");
    }

    /**
     * The output head on final hidden states of any leading shape, e.g. only the rows a loss reads.
     *
     * @param hidden [..., hidden] from {@link #hiddenStates}
     * @param context forward mode (the reference mode uses a trained head's frozen initial copy)
     * @return [..., vocab]
     * @throws UnsupportedOperationException when {@link #splitsHead()} is false
     */
    default NDArray headLogits(NDArray hidden, ForwardContext context) {
        throw new UnsupportedOperationException(modelType() + " does not split its output head off");
    }

    /** A new, empty KV cache for this model, owned under {@code manager}'s device. */
    default KvCache newCache(ai.djl.ndarray.NDManager manager) {
        return new KvCache(manager, numLayers());
    }
}
