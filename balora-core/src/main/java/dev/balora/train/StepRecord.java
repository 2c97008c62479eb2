package dev.balora.train;

import java.util.Map;

/**
 * What happened in one optimizer step; one line of {@code metrics.jsonl}.
 *
 * @param step the 1-based number of optimizer steps done after this one
 * @param epoch the 0-based epoch
 * @param loss the example-weighted mean loss over the step's micro-batches (NaN when non-finite)
 * @param terms each objective term's raw value, example-weighted over micro-batches
 * @param lambdas the weight of each term (its value times its weight is its share of the loss)
 * @param lr the learning rate used
 * @param gradNorm the global gradient norm before clipping (NaN when the step was skipped before backward)
 * @param clipped whether clipping scaled the gradients
 * @param examples examples in the step
 * @param tokens real (unpadded) tokens in the step
 * @param tokensPerSecond tokens divided by the step's wall time
 * @param seconds the step's wall time
 * @param skipped whether the update was skipped because the loss or the gradient was not finite
 */
public record StepRecord(int step, int epoch, double loss, Map<String, Double> terms, Map<String, Double> lambdas,
        double lr, double gradNorm, boolean clipped, int examples, long tokens, double tokensPerSecond,
        double seconds, boolean skipped) {

    /** Copies the maps. */
    public StepRecord {
        terms = Map.copyOf(terms);
        lambdas = Map.copyOf(lambdas);
    }

    /**
     * Each reported term times its weight, its share of {@link #loss()}; a term without a weight is left out.
     *
     * @return term name to value × λ
     */
    public Map<String, Double> weightedTerms() {
        Map<String, Double> out = new java.util.TreeMap<>();
        terms.forEach((k, v) -> {
            Double lambda = lambdas.get(k);
            if (lambda != null) {
                out.put(k, v * lambda);
            }
        });
        return out;
    }
}
