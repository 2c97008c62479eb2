/**
 * The training engine: a {@link dev.balora.train.Trainer} configured by an immutable
 * {@link dev.balora.train.TrainerConfig}, a model-agnostic {@link dev.balora.train.TrainingTask} contract (batch in,
 * loss and named terms out), balora's own AdamW (its state is checkpointed exactly), learning-rate schedules with
 * warm-up, gradient accumulation, global-norm clipping, checkpoints and exact resume, listeners,
 * {@code metrics.jsonl} and a loss-curve plot.
 *
 * <p>Only parameters marked {@link dev.balora.nn.Param#trainable()} are updated and checkpointed; the frozen base is
 * never written. Per-step work runs in a sub-manager closed at step end, so native memory does not grow with steps.
 *
 * <p>{@link dev.balora.train.Trainer#fit()} is a thin loop: one optimizer step at a time (a package-private
 * {@code StepRunner}), then {@link dev.balora.train.TrainingListener}s, each owning one concern: the metrics files and
 * the loss curve, the progress bar, the step log, the caller's listeners, periodic evaluation, checkpoints. They see
 * the run through a {@link dev.balora.train.TrainingRun}. Every array lives on the device of the model's parameters.
 */
package dev.balora.train;
