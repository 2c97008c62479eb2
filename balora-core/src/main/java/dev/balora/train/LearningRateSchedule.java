package dev.balora.train;

import ai.djl.training.tracker.Tracker;

/**
 * The learning rate of each optimizer step: linear warm-up, then constant, linear or cosine decay, with Hugging
 * Face's formulas ({@code get_*_schedule_with_warmup}) so runs compare with PEFT recipes.
 *
 * <p>For step s (0-based, the s-th update) with W warm-up and T total steps: during warm-up lr = peak * s / W
 * (so the first update has lr 0, as in Hugging Face); after it CONSTANT gives the peak, LINEAR
 * peak * (T - s) / (T - W), COSINE final + (peak - final) * (1 + cos(pi * (s - W) / (T - W))) / 2. The final
 * value of the cosine is a ratio of the peak and defaults to 0; DJL's CosineTracker defaults to an absolute 0.01,
 * which with a peak of 2e-5 would make the learning rate RISE, hence this class.
 */
public final class LearningRateSchedule implements Tracker {
    private final ScheduleKind kind;
    private final float peak;
    private final int warmupSteps;
    private final int totalSteps;
    private final float finalRatio;

    /**
     * Creates a schedule.
     *
     * @param kind the decay after warm-up
     * @param peak the learning rate reached at the end of warm-up
     * @param warmupSteps steps of linear warm-up (0 = none)
     * @param totalSteps optimizer steps of the whole run
     * @param finalRatio for COSINE: the final learning rate as a fraction of the peak (0 = decay to zero)
     */
    public LearningRateSchedule(ScheduleKind kind, float peak, int warmupSteps, int totalSteps, float finalRatio) {
        if (!(peak > 0) || !Float.isFinite(peak)) {
            throw new IllegalArgumentException("peak learning rate must be a positive number, got " + peak);
        }
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps and totalSteps >= 1, got warmup "
                    + warmupSteps + ", total " + totalSteps);
        }
        if (finalRatio < 0 || finalRatio > 1) {
            throw new IllegalArgumentException("finalRatio must be in [0, 1], got " + finalRatio);
        }
        this.kind = kind;
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.finalRatio = finalRatio;
    }

    /** Warm-up steps for a ratio of the total, rounded up as Hugging Face does. */
    public static int warmupSteps(double ratio, int totalSteps) {
        if (ratio < 0 || ratio > 1) {
            throw new IllegalArgumentException("warm-up ratio must be in [0, 1], got " + ratio);
        }
        return (int) Math.ceil(ratio * totalSteps);
    }

    /** The multiplier of the peak at step {@code step} (0-based). */
    public double factor(int step) {
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / span);
        switch (kind) {
            case CONSTANT:
                return 1.0;
            case LINEAR:
                return Math.max(0.0, (totalSteps - step) / span);
            case COSINE:
                return finalRatio + (1.0 - finalRatio) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
            default:
                throw new IllegalStateException("unknown schedule " + kind);
        }
    }

    /** The learning rate of step {@code step} (0-based). */
    public float at(int step) {
        return (float) (peak * factor(step));
    }

    /** DJL's tracker view: {@code numUpdate} is taken as the 0-based step. */
    @Override
    public float getNewValue(int numUpdate) {
        return at(numUpdate);
    }

    /** The decay kind. */
    public ScheduleKind kind() {
        return kind;
    }

    /** Warm-up steps. */
    public int warmupSteps() {
        return warmupSteps;
    }

    /** Total steps. */
    public int totalSteps() {
        return totalSteps;
    }
}
