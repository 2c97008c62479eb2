package dev.balora.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Splits a dataset into batches of example indices, deterministically from (seed, epoch): every example
 * appears exactly once per epoch, and the same seed and epoch always give the same plan (this is what makes
 * resuming exact).
 */
public final class BatchPlanner {
    private final int batchSize;
    private final BatchOrder order;
    private final int bucketBatches;

    /**
     * Creates a planner.
     *
     * @param batchSize examples per batch (the last batch may be smaller)
     * @param order how examples are ordered
     * @param bucketBatches for {@link BatchOrder#BUCKETED}: how many batches' worth of examples are sorted by
     *     length together (larger = less padding, less randomness); 50 is a good default
     */
    public BatchPlanner(int batchSize, BatchOrder order, int bucketBatches) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (bucketBatches < 1) {
            throw new IllegalArgumentException("bucketBatches must be >= 1, got " + bucketBatches);
        }
        this.batchSize = batchSize;
        this.order = order;
        this.bucketBatches = bucketBatches;
    }

    /** Examples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Plans one epoch.
     *
     * @param lengths the token length of every example (only used by BUCKETED and SORTED)
     * @param seed the run's seed
     * @param epoch the epoch number (0-based)
     * @return batches of dataset indices
     */
    public List<int[]> plan(int[] lengths, long seed, int epoch) {
        int n = lengths.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random rng = new Random(mix(seed, epoch));
        Comparator<Integer> byLength = Comparator.comparingInt(i -> lengths[i]);
        switch (order) {
            case SEQUENTIAL:
                break;
            case SORTED:
                Arrays.sort(idx, byLength); // stable: ties keep dataset order
                break;
            case BUCKETED:
                Collections.shuffle(Arrays.asList(idx), rng);
                int window = batchSize * bucketBatches;
                for (int start = 0; start < n; start += window) {
                    Arrays.sort(idx, start, Math.min(n, start + window), byLength);
                }
                break;
            default:
                throw new IllegalStateException("unknown order " + order);
        }
        List<int[]> batches = new ArrayList<>((n + batchSize - 1) / batchSize);
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            int[] b = new int[end - start];
            for (int i = start; i < end; i++) {
                b[i - start] = idx[i];
            }
            batches.add(b);
        }
        if (order == BatchOrder.BUCKETED) {
            Collections.shuffle(batches, rng);
        }
        return batches;
    }

    /** Spreads (seed, epoch) into one well-mixed 64-bit seed (SplitMix64 finalizer). */
    static long mix(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
