package dev.balora.train;

import java.util.Map;

/**
 * One evaluation during training.
 *
 * @param step optimizer steps done when it ran
 * @param epoch the 0-based epoch
 * @param endOfEpoch whether it ran because an epoch ended (rather than every N steps)
 * @param metrics metric name to value, the main metric first
 * @param seconds how long it took
 */
public record EvalRecord(int step, int epoch, boolean endOfEpoch, Map<String, Double> metrics, double seconds) {}
