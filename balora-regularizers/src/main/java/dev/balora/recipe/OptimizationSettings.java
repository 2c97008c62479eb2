package dev.balora.recipe;

import dev.balora.train.ScheduleKind;
import java.util.Locale;

/**
 * How the adapters are trained: AdamW, the learning-rate schedule, batch and budget, clipping, evaluation and
 * checkpoint cadence, and the seed. Unset values are null and take the task kind's defaults ({@link TaskKind.Defaults})
 * when the recipe resolves them.
 *
 * @param learningRate peak learning rate; null = the kind's
 * @param schedule constant, linear or cosine decay after warm-up
 * @param warmupRatio warm-up share of all steps; null = the kind's
 * @param weightDecay decoupled AdamW weight decay; null = the kind's
 * @param epochs epochs (ignored when maxSteps > 0); null = the kind's
 * @param maxSteps optimizer steps, or -1 for full epochs
 * @param batchSize examples per micro-batch; null = the kind's
 * @param gradAccum micro-batches per optimizer step
 * @param maxGradNorm global-norm clipping threshold, 0 = off
 * @param evalEvery evaluate every N steps (0 = at epoch ends and at the end only)
 * @param checkpointEvery checkpoint every N steps (0 = at epoch ends and at the end only)
 * @param keepCheckpoints how many checkpoints to keep
 * @param seed seed of data order, dropout, new heads and random inits
 */
public record OptimizationSettings(Double learningRate, String schedule, Double warmupRatio, Double weightDecay,
        Integer epochs, int maxSteps, Integer batchSize, int gradAccum, double maxGradNorm, int evalEvery,
        int checkpointEvery, int keepCheckpoints, long seed) {

    /** The defaults of every setting. */
    public static OptimizationSettings defaults() {
        return builder().build();
    }

    /** A new builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive a variant (another seed, budget or learning rate). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.learningRate = learningRate;
        b.schedule = schedule;
        b.warmupRatio = warmupRatio;
        b.weightDecay = weightDecay;
        b.epochs = epochs;
        b.maxSteps = maxSteps;
        b.batchSize = batchSize;
        b.gradAccum = gradAccum;
        b.maxGradNorm = maxGradNorm;
        b.evalEvery = evalEvery;
        b.checkpointEvery = checkpointEvery;
        b.keepCheckpoints = keepCheckpoints;
        b.seed = seed;
        return b;
    }

    /** Fills the task kind's defaults and validates every value, naming the option at fault. */
    OptimizationSettings resolve(TaskKind kind) {
        TaskKind.Defaults d = kind.defaults();
        double lr = learningRate != null ? learningRate : Double.parseDouble(d.learningRate());
        double warm = warmupRatio != null ? warmupRatio : Double.parseDouble(d.warmupRatio());
        double wd = weightDecay != null ? weightDecay : Double.parseDouble(d.weightDecay());
        int ep = epochs != null ? epochs : d.epochs();
        int bs = batchSize != null ? batchSize : d.batchSize();
        Recipes.require(lr > 0 && Double.isFinite(lr), "--lr must be > 0, got " + lr);
        scheduleKind();
        Recipes.require(warm >= 0 && warm <= 1, "--warmup-ratio must be in [0, 1], got " + warm);
        Recipes.require(wd >= 0 && Double.isFinite(wd), "--weight-decay must be >= 0, got " + wd);
        Recipes.require(ep >= 1, "--epochs must be >= 1, got " + ep);
        Recipes.require(maxSteps == -1 || maxSteps >= 1, "--max-steps must be >= 1 (or -1 for full epochs), got "
                + maxSteps);
        Recipes.require(bs >= 1, "--batch-size must be >= 1, got " + bs);
        Recipes.require(gradAccum >= 1, "--grad-accum must be >= 1, got " + gradAccum);
        Recipes.require(maxGradNorm >= 0, "--max-grad-norm must be >= 0 (0 = no clipping), got " + maxGradNorm);
        Recipes.require(evalEvery >= 0, "--eval-every must be >= 0, got " + evalEvery);
        Recipes.require(checkpointEvery >= 0, "--checkpoint-every must be >= 0, got " + checkpointEvery);
        Recipes.require(keepCheckpoints >= 1, "--keep-checkpoints must be >= 1, got " + keepCheckpoints);
        return new OptimizationSettings(lr, schedule.trim().toLowerCase(Locale.ROOT), warm, wd, ep, maxSteps, bs,
                gradAccum, maxGradNorm, evalEvery, checkpointEvery, keepCheckpoints, seed);
    }

    /** The learning-rate schedule. */
    public ScheduleKind scheduleKind() {
        Recipes.require(schedule != null, "--schedule must not be empty");
        try {
            return ScheduleKind.valueOf(schedule.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --schedule '" + schedule + "'; use constant, linear or cosine",
                    e);
        }
    }

    /** Optimizer steps of the whole run over a training set of this size (resolved settings only). */
    public int totalSteps(int trainSize) {
        return maxSteps > 0 ? maxSteps : epochs * stepsPerEpoch(trainSize);
    }

    /** Optimizer steps of one epoch over a training set of this size (resolved settings only). */
    public int stepsPerEpoch(int trainSize) {
        int micro = (trainSize + batchSize - 1) / batchSize;
        return (micro + gradAccum - 1) / gradAccum;
    }

    /** Builder of {@link OptimizationSettings}; every setting is optional. */
    public static final class Builder {
        private Double learningRate;
        private String schedule = "linear";
        private Double warmupRatio;
        private Double weightDecay;
        private Integer epochs;
        private int maxSteps = -1;
        private Integer batchSize;
        private int gradAccum = 1;
        private double maxGradNorm = 1.0;
        private int evalEvery;
        private int checkpointEvery;
        private int keepCheckpoints = 2;
        private long seed = 42;

        private Builder() {}

        /** Peak learning rate (default 5e-4 classification, 2e-5 causal LM). */
        public Builder optLearningRate(double lr) {
            this.learningRate = lr;
            return this;
        }

        /** constant, linear (default) or cosine decay after warm-up. */
        public Builder optSchedule(String schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Warm-up share of all steps (default 0.06 classification, 0.03 causal LM). */
        public Builder optWarmupRatio(double ratio) {
            this.warmupRatio = ratio;
            return this;
        }

        /** AdamW weight decay (default 0.01 classification, 0 causal LM). */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Epochs (default 3 classification, 1 causal LM). */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Optimizer steps instead of epochs (default -1: by epochs). */
        public Builder optMaxSteps(int steps) {
            this.maxSteps = steps;
            return this;
        }

        /** Examples per micro-batch (default 32 classification, 8 causal LM). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Micro-batches per optimizer step (default 1). */
        public Builder optGradAccum(int microBatches) {
            this.gradAccum = microBatches;
            return this;
        }

        /** Global-norm clipping threshold, 0 = off (default 1). */
        public Builder optMaxGradNorm(double norm) {
            this.maxGradNorm = norm;
            return this;
        }

        /** Evaluate every N steps as well as at epoch ends and at the end (default 0: only those). */
        public Builder optEvalEvery(int steps) {
            this.evalEvery = steps;
            return this;
        }

        /** Checkpoint every N steps as well as at epoch ends and at the end (default 0: only those). */
        public Builder optCheckpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }

        /** Checkpoints kept (default 2). */
        public Builder optKeepCheckpoints(int keep) {
            this.keepCheckpoints = keep;
            return this;
        }

        /** The run's seed (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Builds (validation happens when the recipe resolves the settings against a task kind). */
        public OptimizationSettings build() {
            return new OptimizationSettings(learningRate, schedule, warmupRatio, weightDecay, epochs, maxSteps,
                    batchSize, gradAccum, maxGradNorm, evalEvery, checkpointEvery, keepCheckpoints, seed);
        }
    }
}
