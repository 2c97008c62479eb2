package dev.balora.train;

import java.nio.file.Path;

/**
 * Hooks into a training run (logging, early stopping by throwing, custom plots); every method is optional.
 *
 * <p>Per step the trainer calls {@link #onStep} on every listener, then stops if too many steps in a row were
 * non-finite, then calls {@link #onStepEnd}, where periodic work (evaluation, checkpoints) belongs. Listeners are
 * called in the order they were added, after the trainer's own (metrics files, progress, step log), except the
 * evaluator and the checkpointer, which run last so that a checkpoint follows the evaluation of its step.
 */
public interface TrainingListener {

    /**
     * The run starts (or resumes).
     *
     * @param totalSteps optimizer steps of the whole run
     * @param startStep steps already done (0 unless resumed)
     */
    default void onTrainingStart(int totalSteps, int startStep) {}

    /**
     * The run starts (or resumes), with a handle on where it stands; the default calls
     * {@link #onTrainingStart(int, int)}.
     *
     * @param run the run, valid until {@link #onTrainingStop}
     */
    default void onTrainingStart(TrainingRun run) {
        onTrainingStart(run.totalSteps(), run.startStep());
    }

    /** An optimizer step finished (applied or skipped). */
    default void onStep(StepRecord record) {}

    /**
     * An optimizer step's bookkeeping is done ({@link TrainingRun#step()}, {@link TrainingRun#epochEnded()} are
     * up to date); called after {@link #onStep} unless the run stopped for non-finite losses.
     */
    default void onStepEnd(TrainingRun run) {}

    /** An evaluation finished. */
    default void onEvaluation(EvalRecord record) {}

    /** A checkpoint was written. */
    default void onCheckpoint(Path directory, int step) {}

    /**
     * The run stopped, normally or by an exception: release what {@link #onTrainingStart} opened. Called on every
     * listener, before {@link #onTrainingEnd}.
     *
     * @param failure what stopped the run, or null when it finished normally
     */
    default void onTrainingStop(Throwable failure) {}

    /** The run finished normally. */
    default void onTrainingEnd(TrainingResult result) {}
}
