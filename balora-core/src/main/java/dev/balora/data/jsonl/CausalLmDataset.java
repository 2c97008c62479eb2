package dev.balora.data.jsonl;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.BatchPlanner;
import dev.balora.data.BatchSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Causal-LM examples in memory, batched by a {@link BatchPlanner} and right-padded to the longest example of the
 * batch: {@code input_ids} (padding = the pad id), {@code attention_mask} (0 on padding) and {@code labels}
 * ({@link CausalLmExample#IGNORE} on prompt and padding), all [B, T] INT64.
 */
public final class CausalLmDataset implements BatchSource {
    private final List<CausalLmExample> examples;
    private final int[] lengths;
    private final long padId;
    private final BatchOrder order;
    private final int bucketBatches;

    /**
     * Creates a dataset.
     *
     * @param examples the examples
     * @param padId the id put in padding slots (masked, so any valid id works)
     * @param order batch order ({@link BatchOrder#BUCKETED} for training, {@link BatchOrder#SORTED} for evaluation)
     * @param bucketBatches batches per length-sorting window (see {@link BatchPlanner})
     */
    public CausalLmDataset(List<CausalLmExample> examples, long padId, BatchOrder order, int bucketBatches) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("dataset is empty");
        }
        if (padId < 0) {
            throw new IllegalArgumentException("pad id must be >= 0, got " + padId);
        }
        this.examples = List.copyOf(examples);
        this.padId = padId;
        this.order = Objects.requireNonNull(order, "order");
        this.bucketBatches = bucketBatches;
        this.lengths = this.examples.stream().mapToInt(CausalLmExample::length).toArray();
    }

    @Override
    public int size() {
        return examples.size();
    }

    /** One example. */
    public CausalLmExample get(int index) {
        return examples.get(index);
    }

    /** All examples. */
    public List<CausalLmExample> examples() {
        return examples;
    }

    /** Target tokens over the whole dataset. */
    public long targetTokens() {
        return examples.stream().mapToLong(CausalLmExample::targets).sum();
    }

    @Override
    public List<int[]> plan(int batchSize, long seed, int epoch) {
        return new BatchPlanner(batchSize, order, bucketBatches).plan(lengths, seed, epoch);
    }

    @Override
    public Batch load(int[] indices, NDManager manager) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("cannot load an empty batch");
        }
        int b = indices.length;
        int t = 0;
        for (int i : indices) {
            t = Math.max(t, lengths[i]);
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] labels = new long[b * t];
        Arrays.fill(ids, padId);
        Arrays.fill(labels, CausalLmExample.IGNORE);
        long tokens = 0;
        for (int r = 0; r < b; r++) {
            CausalLmExample e = examples.get(indices[r]);
            int n = e.length();
            System.arraycopy(e.inputIds(), 0, ids, r * t, n);
            System.arraycopy(e.labels(), 0, labels, r * t, n);
            Arrays.fill(mask, r * t, r * t + n, 1L);
            tokens += n;
        }
        Shape shape = new Shape(b, t);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put(Batch.INPUT_IDS, EngineArrays.own(manager.create(ids, shape)));
        arrays.put(Batch.ATTENTION_MASK, EngineArrays.own(manager.create(mask, shape)));
        arrays.put(Batch.LABELS, EngineArrays.own(manager.create(labels, shape)));
        return new Batch(arrays, indices, tokens);
    }
}
