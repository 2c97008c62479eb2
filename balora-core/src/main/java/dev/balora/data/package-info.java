/**
 * Training and evaluation data: examples, their token encoding, padded batches with attention masks, and
 * deterministic length-bucketed batch plans.
 *
 * <p>A batch plan is a pure function of (seed, epoch), so a run's data position is just (epoch, batch index)
 * and resuming replays exactly the same batches.
 */
package dev.balora.data;
