package dev.balora.app.options;

import dev.balora.recipe.OptimizationSettings;
import picocli.CommandLine.Option;

/** Optimisation options: AdamW, the schedule, batch and budget, clipping, seed. */
// Fields start at their defaultValue too: picocli leaves an unmatched @ArgGroup instance as it was built.
public final class OptimizationOptions {

    @Option(names = "--lr", description = "peak learning rate (default: 5e-4 classification, 2e-5 causal LM)")
    Double lr;

    @Option(names = "--schedule", defaultValue = "linear", paramLabel = "constant|linear|cosine",
            description = "decay after warm-up (default: ${DEFAULT-VALUE})")
    String schedule = "linear";

    @Option(names = "--warmup-ratio",
            description = "warm-up share of all steps (default: 0.06 classification, 0.03 causal LM)")
    Double warmupRatio;

    @Option(names = "--weight-decay", description = "AdamW weight decay (default: 0.01 classification, 0 causal LM)")
    Double weightDecay;

    @Option(names = "--epochs", description = "epochs (default: 3 classification, 1 causal LM)")
    Integer epochs;

    @Option(names = "--max-steps", defaultValue = "-1",
            description = "optimizer steps, overriding --epochs (default: ${DEFAULT-VALUE} = full epochs)")
    int maxSteps = -1;

    @Option(names = "--batch-size", description = "examples per micro-batch (default: 32 classification, 8 causal LM)")
    Integer batchSize;

    @Option(names = "--grad-accum", defaultValue = "1",
            description = "micro-batches per optimizer step (default: ${DEFAULT-VALUE})")
    int gradAccum = 1;

    @Option(names = "--max-grad-norm", defaultValue = "1.0",
            description = "global-norm clipping, 0 = off (default: ${DEFAULT-VALUE})")
    double maxGradNorm = 1.0;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of data order, dropout, new heads and random inits (default: ${DEFAULT-VALUE})")
    long seed = 42;

    /** The recipe's optimisation settings, with the evaluation and checkpoint cadence of the output options. */
    public OptimizationSettings settings(OutputOptions output) {
        return settings(output, output == null ? 0 : output.checkpointEvery);
    }

    /** As {@link #settings(OutputOptions)}, with an explicit checkpoint cadence. */
    public OptimizationSettings settings(OutputOptions output, int checkpointEvery) {
        OptimizationSettings.Builder b = OptimizationSettings.builder().optSchedule(schedule).optMaxSteps(maxSteps)
                .optGradAccum(gradAccum).optMaxGradNorm(maxGradNorm).optSeed(seed);
        if (lr != null) {
            b.optLearningRate(lr);
        }
        if (warmupRatio != null) {
            b.optWarmupRatio(warmupRatio);
        }
        if (weightDecay != null) {
            b.optWeightDecay(weightDecay);
        }
        if (epochs != null) {
            b.optEpochs(epochs);
        }
        if (batchSize != null) {
            b.optBatchSize(batchSize);
        }
        if (output != null) {
            b.optEvalEvery(output.evalEvery).optKeepCheckpoints(output.keepCheckpoints);
        }
        b.optCheckpointEvery(checkpointEvery);
        return b.build();
    }

    /** The seed. */
    public long seed() {
        return seed;
    }
}
