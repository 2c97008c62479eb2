package dev.balora.data;

/** How a {@link BatchPlanner} orders examples into batches. */
public enum BatchOrder {
    /** Dataset order, no shuffling: batch i holds examples [i*B, (i+1)*B). */
    SEQUENTIAL,
    /**
     * Training order: shuffle by (seed, epoch), sort each window of a few batches by length, cut it into batches,
     * shuffle the batches. Short sentences share batches, so little padding, while batches stay random.
     */
    BUCKETED,
    /** Evaluation order: the whole dataset sorted by length (ties in dataset order), least padding. */
    SORTED
}
