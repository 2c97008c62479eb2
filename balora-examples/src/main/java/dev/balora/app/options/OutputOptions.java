package dev.balora.app.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Output options of a training run: the run folder, resume, evaluation and checkpoint cadence. */
// Fields start at their defaultValue too: picocli leaves an unmatched @ArgGroup instance as it was built.
public final class OutputOptions {

    @Option(names = "--out", paramLabel = "DIR",
            description = "the run folder: run.json, metrics.jsonl, eval.jsonl, loss-curve.png, checkpoints/, "
                    + "adapter/, adapter-lora/, summary.json")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the checkpointed run in this --out folder with the settings of its run.json "
                    + "(no other option may be given)")
    Path resume;

    @Option(names = "--eval-every", defaultValue = "0",
            description = "evaluate every N steps; epoch ends and the last step always (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--checkpoint-every", defaultValue = "0",
            description = "checkpoint every N steps; epoch ends and the last step always (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", defaultValue = "2",
            description = "checkpoints kept (default: ${DEFAULT-VALUE})")
    int keepCheckpoints = 2;

    @Option(names = "--no-eval-before", description = "skip the evaluation before the first step")
    boolean noEvalBefore;

    /** The run folder, or null. */
    public Path out() {
        return out;
    }

    /** The folder to resume, or null. */
    public Path resume() {
        return resume;
    }

    /** Whether to evaluate before the first step. */
    public boolean evalBefore() {
        return !noEvalBefore;
    }
}
