package dev.balora.train;

import ai.djl.ndarray.NDArray;
import dev.balora.objective.NonFiniteValueException;
import dev.balora.objective.ObjectiveTerms;
import dev.balora.nn.EngineArrays;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.RowGradient;
import dev.balora.objective.Scalars;
import dev.balora.objective.WeightedObjective;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link TrainingTask} returns for one batch: the scalar loss to differentiate, and the named terms and
 * weights it is made of (for {@code metrics.jsonl}; e.g. {@code task}, {@code consistency}, ... and their λ).
 *
 * @param loss the scalar loss, part of the autograd graph
 * @param terms named term values (unweighted, read on the host), may be empty
 * @param weights the weight (λ) of each term at this step, may be empty
 */
public record StepLoss(NDArray loss, Map<String, Double> terms, Map<String, Double> weights) {
    private static final Logger LOG = LoggerFactory.getLogger(StepLoss.class);

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

    /**
     * Evaluates a weighted objective on a task loss: the total with every term's value and λ, or, when the objective
     * meets a non-finite value, a NaN loss that the trainer counts as a step to skip.
     *
     * @param objective the objective
     * @param taskLoss the scalar task loss, part of the graph
     * @param task the task loss's value, already read on the host
     * @param input what the regularizers see
     * @param step the optimizer step, for the warning
     * @return the step loss
     */
    public static StepLoss ofObjective(WeightedObjective objective, NDArray taskLoss, double task,
            RegularizerInput input, long step) {
        ObjectiveTerms terms;
        try {
            terms = objective.evaluate(taskLoss, input);
        } catch (NonFiniteValueException e) {
            LOG.warn("step {}: {}", step, e.getMessage());
            return new StepLoss(Scalars.mul(taskLoss, Double.NaN), Map.of("task", task), Map.of("task", 1.0));
        }
        return of(terms);
    }

    /**
     * As {@link #ofObjective(WeightedObjective, NDArray, double, RegularizerInput, long)}, for a task loss whose
     * gradient with respect to the input's logit rows was built by hand ({@link WeightedObjective#evaluate(RowGradient,
     * RegularizerInput)}).
     */
    public static StepLoss ofObjective(WeightedObjective objective, RowGradient task, RegularizerInput input,
            long step) {
        ObjectiveTerms terms;
        try {
            terms = objective.evaluate(task, input);
        } catch (NonFiniteValueException e) {
            LOG.warn("step {}: {}", step, e.getMessage());
            NDArray nan = EngineArrays.own(input.logitRows().getManager().create(Float.NaN));
            return new StepLoss(nan, Map.of("task", task.value()), Map.of("task", 1.0));
        }
        return of(terms);
    }

    private static StepLoss of(ObjectiveTerms terms) {
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Double> lambdas = new LinkedHashMap<>();
        values.put("task", terms.taskLoss());
        lambdas.put("task", 1.0);
        for (ObjectiveTerms.Term t : terms.terms()) {
            if (t.computed()) {
                values.put(t.name(), t.value());
            }
            lambdas.put(t.name(), t.weight());
        }
        return new StepLoss(terms.total(), values, lambdas);
    }
}
