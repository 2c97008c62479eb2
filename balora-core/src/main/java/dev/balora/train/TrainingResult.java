package dev.balora.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * The outcome of {@link Trainer#fit()}.
 *
 * @param steps optimizer steps done (applied or skipped), resumed ones included
 * @param updates updates actually applied
 * @param skippedSteps steps skipped for a non-finite loss or gradient
 * @param lastLoss the loss of the last applied step
 * @param lastEvaluation the metrics of the last evaluation (empty when none ran)
 * @param seconds wall time of this call
 * @param lastCheckpoint the last checkpoint written, or null
 */
public record TrainingResult(int steps, int updates, int skippedSteps, double lastLoss,
        Map<String, Double> lastEvaluation, double seconds, Path lastCheckpoint) {}
