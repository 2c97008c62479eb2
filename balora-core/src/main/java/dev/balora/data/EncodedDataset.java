package dev.balora.data;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Tokenized examples held in memory, batched by a {@link BatchPlanner} and padded by a {@link Collator}. */
public final class EncodedDataset implements BatchSource {
    private final List<EncodedExample> examples;
    private final int[] lengths;
    private final Collator collator;
    private final BatchOrder order;
    private final int bucketBatches;

    /**
     * Creates a dataset.
     *
     * @param examples the encoded examples
     * @param collator how batches are padded
     * @param order batch order ({@link BatchOrder#BUCKETED} for training, {@link BatchOrder#SORTED} for evaluation)
     * @param bucketBatches batches per length-sorting window (see {@link BatchPlanner})
     */
    public EncodedDataset(List<EncodedExample> examples, Collator collator, BatchOrder order, int bucketBatches) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("dataset is empty");
        }
        this.examples = List.copyOf(examples);
        this.collator = Objects.requireNonNull(collator);
        this.order = Objects.requireNonNull(order);
        this.bucketBatches = bucketBatches;
        this.lengths = new int[examples.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = examples.get(i).length();
        }
    }

    @Override
    public int size() {
        return examples.size();
    }

    /** One example. */
    public EncodedExample get(int index) {
        return examples.get(index);
    }

    /** The token length of every example (a copy). */
    public int[] lengths() {
        return lengths.clone();
    }

    @Override
    public List<int[]> plan(int batchSize, long seed, int epoch) {
        return new BatchPlanner(batchSize, order, bucketBatches).plan(lengths, seed, epoch);
    }

    @Override
    public Batch load(int[] indices, NDManager manager) {
        List<EncodedExample> selected = new ArrayList<>(indices.length);
        for (int i : indices) {
            selected.add(examples.get(i));
        }
        return collator.collate(selected, indices, manager);
    }
}
