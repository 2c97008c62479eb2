/**
 * The training objective: the {@link dev.balora.objective.Regularizer} contract, what a regularizer sees
 * ({@link dev.balora.objective.RegularizerInput}), weight schedules over optimizer steps, and the
 * {@link dev.balora.objective.WeightedObjective} {@code task loss + sum_i lambda_i(t) * R_i}.
 *
 * <p>Three optional hooks keep large-vocabulary steps cheap without changing the maths: a term declares the
 * sequence positions it reads ({@link dev.balora.objective.Regularizer#positionsRead}, so the task runs the output
 * head only there and passes logit rows), derives what it needs from the reference in the no-grad reference pass
 * ({@link dev.balora.objective.Regularizer#referenceValues}), and returns its hand-built gradient on the rows
 * ({@link dev.balora.objective.Regularizer#gradientOnRows}), which the objective sums with the others in one buffer
 * and attaches through one product ({@link dev.balora.objective.RowGradient}).
 *
 * <p>The BA-LoRA terms themselves live in balora-regularizers, which implements this contract; core never
 * depends on them.
 */
package dev.balora.objective;
