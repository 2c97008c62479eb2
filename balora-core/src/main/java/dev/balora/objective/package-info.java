/**
 * The training objective: the {@link dev.balora.objective.Regularizer} contract, what a regularizer sees
 * ({@link dev.balora.objective.RegularizerInput}), weight schedules over optimizer steps, and the
 * {@link dev.balora.objective.WeightedObjective} {@code task loss + sum_i lambda_i(t) * R_i}.
 *
 * <p>The BA-LoRA terms themselves live in balora-regularizers, which implements this contract; core never
 * depends on them.
 */
package dev.balora.objective;
