package dev.balora.app;

import java.nio.file.Path;

/**
 * The demo's hyperparameters, all in one place: short sentences (32 tokens), r = 8 on every linear layer, three
 * epochs of the bundled 312 training sentences, the same budget for LoRA, PiSSA and BA-LoRA.
 */
final class DemoSettings {
    static final String MODEL = ModelResolver.DEFAULT_MODEL;
    static final String TASK = "sst2"; // the bundled files use SST-2's layout: sentence <TAB> label
    static final String PRESET = "nlu-cyp-jlu-ai";
    static final String TARGETS = "all-linear";
    /** MiniLM has no trained pooler: the head reads the mean token state, as sentence-transformers does. */
    static final String POOLING = "auto";
    static final int RANK = 8;
    static final double ALPHA = 16;
    static final float LEARNING_RATE = 2e-3f;
    static final String SCHEDULE = "linear";
    static final double WARMUP_RATIO = 0.1;
    static final float WEIGHT_DECAY = 0.01f;
    static final int EPOCHS = 3;
    static final int BATCH_SIZE = 16;
    static final int MAX_LENGTH = 32;
    static final double MAX_GRAD_NORM = 1.0;
    /** PiSSA by a randomized SVD (PEFT's pissa_niter_4): seconds instead of a minute of exact SVDs. */
    static final int PISSA_NITER = 4;
    static final long SEED = 42;

    private DemoSettings() {}

    /**
     * The run of one method.
     *
     * @param method the method
     * @param data the folder holding train.tsv and dev.tsv
     * @param out the method's output folder
     * @param maxSteps a step budget overriding the epochs, or -1
     */
    static FineTuneSpec spec(Method method, Path data, Path out, int maxSteps) {
        return new FineTuneSpec(MODEL, TASK, data.toString(), method.id(), PRESET, TARGETS, POOLING, RANK, ALPHA,
                0.0, LEARNING_RATE, SCHEDULE, WARMUP_RATIO, WEIGHT_DECAY, EPOCHS, maxSteps, BATCH_SIZE, 1,
                MAX_GRAD_NORM, 0, 0, MAX_LENGTH, 0, 0, "fail", PISSA_NITER, SEED, out.toString());
    }
}
