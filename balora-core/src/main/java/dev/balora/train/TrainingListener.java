package dev.balora.train;

import java.nio.file.Path;

/** Hooks into a training run (logging, early stopping by throwing, custom plots); every method is optional. */
public interface TrainingListener {

    /**
     * The run starts (or resumes).
     *
     * @param totalSteps optimizer steps of the whole run
     * @param startStep steps already done (0 unless resumed)
     */
    default void onTrainingStart(int totalSteps, int startStep) {}

    /** An optimizer step finished (applied or skipped). */
    default void onStep(StepRecord record) {}

    /** An evaluation finished. */
    default void onEvaluation(EvalRecord record) {}

    /** A checkpoint was written. */
    default void onCheckpoint(Path directory, int step) {}

    /** The run finished normally. */
    default void onTrainingEnd(TrainingResult result) {}
}
