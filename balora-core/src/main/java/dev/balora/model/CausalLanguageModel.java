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

    /** A new, empty KV cache for this model, owned under {@code manager}'s device. */
    default KvCache newCache(ai.djl.ndarray.NDManager manager) {
        return new KvCache(manager, numLayers());
    }
}
