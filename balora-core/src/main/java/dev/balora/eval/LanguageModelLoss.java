package dev.balora.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.balora.data.Batch;
import dev.balora.data.BatchSource;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.nn.ForwardContext;

/** Held-out loss and perplexity of a causal LM on prompt/response data: the mean NLL over every response token. */
public final class LanguageModelLoss {

    private LanguageModelLoss() {}

    /**
     * The token-weighted result.
     *
     * @param loss mean negative log-likelihood per target token (nats)
     * @param perplexity exp(loss)
     * @param tokens target tokens counted
     * @param examples examples evaluated
     */
    public record Result(double loss, double perplexity, long tokens, int examples) {}

    /**
     * Evaluates without gradients, with the model's current adapters and no dropout.
     *
     * @param model the causal LM
     * @param data batches with {@code input_ids}, {@code attention_mask} and unshifted {@code labels}
     * @param batchSize examples per forward pass
     * @return mean loss over all target tokens of the data
     */
    public static Result evaluate(CausalLanguageModel model, BatchSource data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        double nll = 0;
        long tokens = 0;
        for (int[] indices : data.plan(batchSize, 0, 0)) {
            try (NDManager m = model.manager().newSubManager()) {
                Batch b = data.load(indices, m);
                ShiftedCrossEntropy.Sum s = ShiftedCrossEntropy.sum(
                        model.logits(b.inputIds(), b.attentionMask(), ForwardContext.INFERENCE), b.labels());
                nll += s.nll().toType(DataType.FLOAT64, false).getDouble();
                tokens += s.tokens();
            }
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("the data has no target token to evaluate");
        }
        double loss = nll / tokens;
        return new Result(loss, Math.exp(loss), tokens, data.size());
    }
}
