package dev.balora.data;

import ai.djl.ndarray.NDManager;
import java.util.List;

/** What a trainer or evaluator reads: a dataset that plans its batches deterministically and loads them. */
public interface BatchSource {

    /** Number of examples. */
    int size();

    /**
     * The batches of one epoch as dataset indices; a pure function of its arguments.
     *
     * @param batchSize examples per batch
     * @param seed the run's seed
     * @param epoch the epoch number (0-based)
     */
    List<int[]> plan(int batchSize, long seed, int epoch);

    /**
     * Loads the examples at {@code indices} as one batch owned by {@code manager}.
     *
     * @param indices dataset indices
     * @param manager the owner of the batch arrays (a per-step sub-manager)
     */
    Batch load(int[] indices, NDManager manager);
}
