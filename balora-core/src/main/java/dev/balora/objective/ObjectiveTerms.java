package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of a {@link WeightedObjective}: the total to back-propagate and every term for logging.
 *
 * @param total {@code task + sum_i lambda_i * R_i}, a scalar with gradient
 * @param taskLoss the task loss value
 * @param terms each regularizer's weight and value, in the order they were added
 */
public record ObjectiveTerms(NDArray total, double taskLoss, List<Term> terms) {

    /** Copies the term list. */
    public ObjectiveTerms {
        terms = List.copyOf(terms);
    }

    /**
     * A flat map for metrics logs: {@code task_loss}, {@code total}, and per term {@code <name>} (when computed)
     * and {@code <name>.lambda}.
     */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("task_loss", taskLoss);
        double total = taskLoss;
        for (Term t : terms) {
            if (t.computed()) {
                map.put(t.name(), t.value());
                total += t.weight() * t.value();
            }
            map.put(t.name() + ".lambda", t.weight());
        }
        map.put("total", total);
        return map;
    }

    /**
     * One regularizer's contribution.
     *
     * @param name the regularizer's name
     * @param weight lambda at this step (base weight times the schedule's factor)
     * @param value R's value; 0 when not computed
     * @param computed false when the term was skipped because its weight was 0
     */
    public record Term(String name, double weight, double value, boolean computed) {}
}
