/**
 * The training engine: a {@link dev.balora.train.Trainer} configured by an immutable
 * {@link dev.balora.train.TrainerConfig}, a model-agnostic {@link dev.balora.train.TrainingTask} contract (batch in,
 * loss and named terms out), balora's own AdamW (its state is checkpointed exactly), learning-rate schedules with
 * warm-up, gradient accumulation, global-norm clipping, checkpoints and exact resume, listeners,
 * {@code metrics.jsonl} and a loss-curve plot.
 *
 * <p>Only parameters marked {@link dev.balora.nn.Param#trainable()} are updated and checkpointed; the frozen base is
 * never written. Per-step work runs in a sub-manager closed at step end, so native memory does not grow with steps.
 */
package dev.balora.train;
