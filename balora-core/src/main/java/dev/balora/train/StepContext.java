package dev.balora.train;

import ai.djl.ndarray.NDManager;
import dev.balora.nn.ForwardContext;

/**
 * What a {@link TrainingTask} knows about the step it computes.
 *
 * @param manager the per-micro-batch sub-manager: create temporaries here (closed at the end of the micro-batch)
 * @param step the 0-based optimizer step
 * @param totalSteps optimizer steps of the whole run (for weight schedules)
 * @param epoch the 0-based epoch
 * @param microBatch the 0-based micro-batch within the step (gradient accumulation)
 * @param seed a seed derived from (run seed, step, micro-batch), for any randomness of the task
 * @param forward the forward mode of the trainable pass ({@link ForwardContext#TRAINING})
 */
public record StepContext(NDManager manager, int step, int totalSteps, int epoch, int microBatch, long seed,
        ForwardContext forward) {}
