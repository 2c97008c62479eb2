package dev.balora.data;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A collated batch: named arrays in Hugging Face's names ({@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}, {@code labels}, or any other a task needs), which examples it holds, and how many real
 * (unpadded) tokens it carries.
 *
 * <p>The arrays belong to the manager the batch was loaded into; the trainer loads every batch into a
 * per-step sub-manager, so a batch lives exactly one step.
 */
public final class Batch {
    /** Token ids, [B, T], INT64. */
    public static final String INPUT_IDS = "input_ids";
    /** 1 for real tokens and 0 for padding, [B, T], INT64. */
    public static final String ATTENTION_MASK = "attention_mask";
    /** Segment ids, [B, T], INT64. */
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    /** Class ids [B] INT64 or regression targets [B] FLOAT32. */
    public static final String LABELS = "labels";

    private final Map<String, NDArray> arrays;
    private final int[] indices;
    private final long tokenCount;

    /**
     * Creates a batch.
     *
     * @param arrays the named arrays; the first dimension of each is the batch size
     * @param indices the dataset indices of the examples, in batch order
     * @param tokenCount the number of real tokens (for throughput), or the number of examples for non-text data
     */
    public Batch(Map<String, NDArray> arrays, int[] indices, long tokenCount) {
        this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        this.indices = indices.clone();
        this.tokenCount = tokenCount;
        for (Map.Entry<String, NDArray> e : this.arrays.entrySet()) {
            long rows = e.getValue().getShape().dimension() == 0 ? -1 : e.getValue().getShape().get(0);
            if (rows != indices.length) {
                throw new IllegalArgumentException("batch array '" + e.getKey() + "' has shape "
                        + e.getValue().getShape() + " but the batch holds " + indices.length + " examples");
            }
        }
    }

    /** Number of examples. */
    public int size() {
        return indices.length;
    }

    /** The dataset indices of the examples, in batch order (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    /** Real (unpadded) tokens in the batch. */
    public long tokenCount() {
        return tokenCount;
    }

    /** Whether an array of that name is present. */
    public boolean has(String name) {
        return arrays.containsKey(name);
    }

    /**
     * One array by name.
     *
     * @throws IllegalArgumentException naming the arrays present when it is missing
     */
    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("batch has no array '" + name + "'; it has " + arrays.keySet());
        }
        return a;
    }

    /** All arrays by name. */
    public Map<String, NDArray> arrays() {
        return arrays;
    }

    /** {@code input_ids}, [B, T]. */
    public NDArray inputIds() {
        return get(INPUT_IDS);
    }

    /** {@code attention_mask}, [B, T]. */
    public NDArray attentionMask() {
        return get(ATTENTION_MASK);
    }

    /** {@code token_type_ids}, [B, T]. */
    public NDArray tokenTypeIds() {
        return get(TOKEN_TYPE_IDS);
    }

    /** {@code labels}, [B]. */
    public NDArray labels() {
        return get(LABELS);
    }
}
