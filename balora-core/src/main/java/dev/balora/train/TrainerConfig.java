package dev.balora.train;

import ai.djl.Device;
import java.nio.file.Path;

/** The immutable, validated settings of a training run; build with {@link #builder()}. */
public final class TrainerConfig {
    private final int epochs;
    private final int maxSteps;
    private final int batchSize;
    private final int gradientAccumulation;
    private final float learningRate;
    private final float weightDecay;
    private final double beta1;
    private final double beta2;
    private final float epsilon;
    private final ScheduleKind schedule;
    private final double warmupRatio;
    private final float finalLrRatio;
    private final double maxGradNorm;
    private final int evalEvery;
    private final boolean evalAtEpochEnd;
    private final boolean evalBeforeTraining;
    private final int checkpointEvery;
    private final boolean checkpointAtEpochEnd;
    private final int keepCheckpoints;
    private final Path outputDir;
    private final long seed;
    private final int maxConsecutiveNonFinite;
    private final Device device;
    private final int logEvery;
    private final boolean lossCurve;
    private final boolean progressBar;

    private TrainerConfig(Builder b) {
        epochs = b.epochs;
        maxSteps = b.maxSteps;
        batchSize = b.batchSize;
        gradientAccumulation = b.gradientAccumulation;
        learningRate = b.learningRate;
        weightDecay = b.weightDecay;
        beta1 = b.beta1;
        beta2 = b.beta2;
        epsilon = b.epsilon;
        schedule = b.schedule;
        warmupRatio = b.warmupRatio;
        finalLrRatio = b.finalLrRatio;
        maxGradNorm = b.maxGradNorm;
        evalEvery = b.evalEvery;
        evalAtEpochEnd = b.evalAtEpochEnd;
        evalBeforeTraining = b.evalBeforeTraining;
        checkpointEvery = b.checkpointEvery;
        checkpointAtEpochEnd = b.checkpointAtEpochEnd;
        keepCheckpoints = b.keepCheckpoints;
        outputDir = b.outputDir;
        seed = b.seed;
        maxConsecutiveNonFinite = b.maxConsecutiveNonFinite;
        device = b.device;
        logEvery = b.logEvery;
        lossCurve = b.lossCurve;
        progressBar = b.progressBar;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Epochs (ignored when {@link #maxSteps()} is set). */
    public int epochs() {
        return epochs;
    }

    /** Optimizer steps of the run, or -1 to run {@link #epochs()} full epochs. */
    public int maxSteps() {
        return maxSteps;
    }

    /** Examples per micro-batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Micro-batches per optimizer step. */
    public int gradientAccumulation() {
        return gradientAccumulation;
    }

    /** Peak learning rate. */
    public float learningRate() {
        return learningRate;
    }

    /** Decoupled weight decay. */
    public float weightDecay() {
        return weightDecay;
    }

    /** AdamW beta1. */
    public double beta1() {
        return beta1;
    }

    /** AdamW beta2. */
    public double beta2() {
        return beta2;
    }

    /** AdamW epsilon. */
    public float epsilon() {
        return epsilon;
    }

    /** Schedule shape after warm-up. */
    public ScheduleKind schedule() {
        return schedule;
    }

    /** Warm-up as a fraction of all steps. */
    public double warmupRatio() {
        return warmupRatio;
    }

    /** Final learning rate of the cosine schedule as a fraction of the peak. */
    public float finalLrRatio() {
        return finalLrRatio;
    }

    /** Global-norm clipping threshold; 0 disables clipping. */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    /** Evaluate every this many steps; 0 = never by steps. */
    public int evalEvery() {
        return evalEvery;
    }

    /** Evaluate when an epoch ends. */
    public boolean evalAtEpochEnd() {
        return evalAtEpochEnd;
    }

    /** Evaluate once before the first step of a fresh run (logged as step 0). */
    public boolean evalBeforeTraining() {
        return evalBeforeTraining;
    }

    /** Checkpoint every this many steps; 0 = never by steps. */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** Checkpoint when an epoch ends (and at the end of the run). */
    public boolean checkpointAtEpochEnd() {
        return checkpointAtEpochEnd;
    }

    /** How many checkpoints to keep (older ones are deleted). */
    public int keepCheckpoints() {
        return keepCheckpoints;
    }

    /** Where metrics, plots and checkpoints go; null = write nothing. */
    public Path outputDir() {
        return outputDir;
    }

    /** The run's seed (data order, per-step engine seeds). */
    public long seed() {
        return seed;
    }

    /** Stop after this many consecutive non-finite steps. */
    public int maxConsecutiveNonFinite() {
        return maxConsecutiveNonFinite;
    }

    /** The device, or null for the device of the model's parameters. */
    public Device device() {
        return device;
    }

    /** Log a summary line every this many steps. */
    public int logEvery() {
        return logEvery;
    }

    /** Draw {@code loss-curve.png} at the end. */
    public boolean lossCurve() {
        return lossCurve;
    }

    /** Show DJL's progress bar (which also honours {@code DJL_DISABLE_PROGRESS_BAR}). */
    public boolean progressBar() {
        return progressBar;
    }

    /** Builder of {@link TrainerConfig}: {@code set*} values are required, {@code opt*} values have defaults. */
    public static final class Builder {
        private int epochs = 1;
        private int maxSteps = -1;
        private int batchSize = -1;
        private int gradientAccumulation = 1;
        private float learningRate = Float.NaN;
        private float weightDecay = 0f;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private float epsilon = 1e-8f;
        private ScheduleKind schedule = ScheduleKind.LINEAR;
        private double warmupRatio = 0.0;
        private float finalLrRatio = 0f;
        private double maxGradNorm = 1.0;
        private int evalEvery;
        private boolean evalAtEpochEnd = true;
        private boolean evalBeforeTraining;
        private int checkpointEvery;
        private boolean checkpointAtEpochEnd = true;
        private int keepCheckpoints = 2;
        private Path outputDir;
        private long seed = 42;
        private int maxConsecutiveNonFinite = 5;
        private Device device;
        private int logEvery = 10;
        private boolean lossCurve = true;
        private boolean progressBar = true;

        private Builder() {}

        /** Required: examples per micro-batch. */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Required: the peak learning rate. */
        public Builder setLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Epochs (default 1). */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Total optimizer steps, overriding epochs (default -1: run the epochs). */
        public Builder optMaxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Micro-batches per optimizer step (default 1). */
        public Builder optGradientAccumulation(int steps) {
            this.gradientAccumulation = steps;
            return this;
        }

        /** Decoupled weight decay (default 0, explicit: DJL's adamW defaults to 0.01). */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** AdamW betas (default 0.9, 0.999). */
        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** AdamW epsilon (default 1e-8). */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Schedule after warm-up (default LINEAR). */
        public Builder optSchedule(ScheduleKind schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Warm-up as a fraction of all steps, rounded up (default 0). */
        public Builder optWarmupRatio(double warmupRatio) {
            this.warmupRatio = warmupRatio;
            return this;
        }

        /** Final cosine learning rate as a fraction of the peak (default 0). */
        public Builder optFinalLrRatio(float ratio) {
            this.finalLrRatio = ratio;
            return this;
        }

        /** Global-norm clipping threshold, 0 to disable (default 1.0). */
        public Builder optMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /** Evaluate every N optimizer steps, 0 = not by steps (default 0). */
        public Builder optEvalEvery(int steps) {
            this.evalEvery = steps;
            return this;
        }

        /** Evaluate at each epoch end (default true). */
        public Builder optEvalAtEpochEnd(boolean evalAtEpochEnd) {
            this.evalAtEpochEnd = evalAtEpochEnd;
            return this;
        }

        /** Evaluate once before the first step of a fresh run, logged as step 0 (default false). */
        public Builder optEvalBeforeTraining(boolean evaluate) {
            this.evalBeforeTraining = evaluate;
            return this;
        }

        /** Checkpoint every N optimizer steps, 0 = not by steps (default 0). */
        public Builder optCheckpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }

        /** Checkpoint at each epoch end and at the end of the run (default true). */
        public Builder optCheckpointAtEpochEnd(boolean checkpointAtEpochEnd) {
            this.checkpointAtEpochEnd = checkpointAtEpochEnd;
            return this;
        }

        /** Checkpoints kept on disk (default 2). */
        public Builder optKeepCheckpoints(int keep) {
            this.keepCheckpoints = keep;
            return this;
        }

        /** Output folder for metrics.jsonl, loss-curve.png and checkpoints (default none: nothing written). */
        public Builder optOutputDir(Path outputDir) {
            this.outputDir = outputDir;
            return this;
        }

        /** Seed (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Consecutive non-finite steps tolerated before stopping (default 5). */
        public Builder optMaxConsecutiveNonFinite(int n) {
            this.maxConsecutiveNonFinite = n;
            return this;
        }

        /** Device; must be where the model's parameters are (default: theirs, whatever the engine's default). */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Log every N steps (default 10). */
        public Builder optLogEvery(int steps) {
            this.logEvery = steps;
            return this;
        }

        /** Draw the loss curve at the end (default true). */
        public Builder optLossCurve(boolean lossCurve) {
            this.lossCurve = lossCurve;
            return this;
        }

        /**
         * Show the progress bar (default true; DJL_DISABLE_PROGRESS_BAR=true hides it anyway). DJL's bar writes to
         * System.out: a program that prints JSON on stdout should turn it off.
         */
        public Builder optProgressBar(boolean progressBar) {
            this.progressBar = progressBar;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public TrainerConfig build() {
            require(batchSize >= 1, "batch size must be set (setBatchSize) and >= 1, got " + batchSize);
            require(learningRate > 0 && Float.isFinite(learningRate),
                    "learning rate must be set (setLearningRate) and > 0, got " + learningRate);
            require(epochs >= 1, "epochs must be >= 1, got " + epochs);
            require(maxSteps == -1 || maxSteps >= 1, "maxSteps must be >= 1 (or -1 for epochs), got " + maxSteps);
            require(gradientAccumulation >= 1, "gradient accumulation must be >= 1, got " + gradientAccumulation);
            require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
            require(warmupRatio >= 0 && warmupRatio <= 1, "warm-up ratio must be in [0, 1], got " + warmupRatio);
            require(finalLrRatio >= 0 && finalLrRatio <= 1, "final lr ratio must be in [0, 1], got " + finalLrRatio);
            require(maxGradNorm >= 0, "max grad norm must be >= 0 (0 = off), got " + maxGradNorm);
            require(evalEvery >= 0 && checkpointEvery >= 0, "evalEvery and checkpointEvery must be >= 0");
            require(keepCheckpoints >= 1, "keepCheckpoints must be >= 1, got " + keepCheckpoints);
            require(maxConsecutiveNonFinite >= 1, "maxConsecutiveNonFinite must be >= 1, got "
                    + maxConsecutiveNonFinite);
            require(logEvery >= 1, "logEvery must be >= 1, got " + logEvery);
            require(schedule != null, "schedule must not be null");
            new AdamW(beta1, beta2, epsilon, weightDecay, null); // validates the optimizer settings
            return new TrainerConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
