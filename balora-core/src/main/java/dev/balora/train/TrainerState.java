package dev.balora.train;

/**
 * Where a run stands, as saved in a checkpoint: enough, with the trainable parameters and the optimizer moments,
 * to continue exactly.
 *
 * @param step optimizer steps done (applied or skipped)
 * @param updates AdamW updates applied (its bias-correction count)
 * @param epoch the epoch of the next micro-batch
 * @param batchInEpoch index of the next micro-batch in that epoch's plan
 * @param seed the run's seed: data plans are a function of (seed, epoch) and the engine is re-seeded from
 *     (seed, step, micro-batch) before every micro-batch, so no generator state beyond it needs saving
 * @param totalSteps optimizer steps of the whole run
 * @param consecutiveNonFinite non-finite steps in a row just before this point
 * @param skippedSteps non-finite steps so far
 * @param lastLoss the loss of the last applied step
 */
public record TrainerState(int step, int updates, int epoch, int batchInEpoch, long seed, int totalSteps,
        int consecutiveNonFinite, int skippedSteps, double lastLoss) {}
