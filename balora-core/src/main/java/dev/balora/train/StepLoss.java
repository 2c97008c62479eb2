package dev.balora.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link TrainingTask} returns for one batch: the scalar loss to differentiate, and the named terms and
 * weights it is made of (for {@code metrics.jsonl}; e.g. {@code task}, {@code consistency}, ... and their λ).
 *
 * @param loss the scalar loss, part of the autograd graph
 * @param terms named term values (unweighted, read on the host), may be empty
 * @param weights the weight (λ) of each term at this step, may be empty
 */
public record StepLoss(NDArray loss, Map<String, Double> terms, Map<String, Double> weights) {

    /** Validates and copies the maps. */
    public StepLoss {
        Objects.requireNonNull(loss, "loss");
        if (loss.getShape().size() != 1) {
            throw new IllegalArgumentException("the loss must be a scalar, got shape " + loss.getShape());
        }
        terms = Map.copyOf(terms);
        weights = Map.copyOf(weights);
    }

    /** A loss with no separately reported terms. */
    public static StepLoss of(NDArray loss) {
        return new StepLoss(loss, Map.of(), Map.of());
    }
}
