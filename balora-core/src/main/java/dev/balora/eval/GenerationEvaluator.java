package dev.balora.eval;

import dev.balora.generate.GenerationOptions;
import dev.balora.generate.Generator;
import dev.balora.model.CausalLanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Evaluation by generation: greedy decoding with the KV cache in batches of prompts of similar length, then
 * exact match of each decoded continuation against its reference under a comparison (e.g.
 * {@link Gsm8kAnswers#matches}).
 */
public final class GenerationEvaluator {
    private final GenerationOptions options;
    private final int batchSize;
    private final Function<int[], String> decoder;
    private final BiPredicate<String, String> match;

    private GenerationEvaluator(Builder b) {
        this.options = b.options;
        this.batchSize = b.batchSize;
        this.decoder = b.decoder;
        this.match = b.match;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One evaluated example.
     *
     * @param index position in the input lists
     * @param generated the decoded continuation
     * @param reference the reference
     * @param correct whether they match
     */
    public record Prediction(int index, String generated, String reference, boolean correct) {}

    /**
     * The outcome.
     *
     * @param accuracy correct / total
     * @param correct matches
     * @param total examples
     * @param predictions every example, in input order
     */
    public record Result(double accuracy, int correct, int total, List<Prediction> predictions) {}

    /**
     * Generates for every prompt and scores it.
     *
     * @param model the causal LM (with its adapters; inference mode)
     * @param prompts prompt token ids
     * @param references one reference per prompt
     */
    public Result evaluate(CausalLanguageModel model, List<long[]> prompts, List<String> references) {
        if (prompts.size() != references.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + references.size() + " references");
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate");
        }
        // Similar lengths share a batch: less left padding to run through the model.
        Integer[] order = IntStream.range(0, prompts.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> prompts.get(i).length));
        Prediction[] out = new Prediction[prompts.size()];
        int correct = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<int[]> batch = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                batch.add(Arrays.stream(prompts.get(order[k])).mapToInt(Math::toIntExact).toArray());
            }
            List<int[]> generated = Generator.generate(model, batch, options);
            for (int k = from; k < to; k++) {
                int i = order[k];
                String text = decoder.apply(strip(generated.get(k - from)));
                boolean ok = match.test(text, references.get(i));
                correct += ok ? 1 : 0;
                out[i] = new Prediction(i, text, references.get(i), ok);
            }
        }
        return new Result((double) correct / out.length, correct, out.length, List.of(out));
    }

    private int[] strip(int[] tokens) {
        int n = tokens.length;
        if (n > 0 && options.stopTokens().contains(tokens[n - 1])) {
            return Arrays.copyOf(tokens, n - 1);
        }
        return tokens;
    }

    /** Builder of {@link GenerationEvaluator}; decoding options and decoder are required. */
    public static final class Builder {
        private GenerationOptions options;
        private int batchSize = 8;
        private Function<int[], String> decoder;
        private BiPredicate<String, String> match = Gsm8kAnswers::matches;

        private Builder() {}

        /** Required: how to decode (greedy with the KV cache for exact-match evaluation, with the EOS as stop). */
        public Builder setOptions(GenerationOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Required: token ids (stop token removed) to text, e.g. the tokenizer's decode. */
        public Builder setDecoder(Function<int[], String> decoder) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            return this;
        }

        /** Prompts per generation batch (default 8). */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How a decoded text is compared with its reference (default {@link Gsm8kAnswers#matches}). */
        public Builder optMatch(BiPredicate<String, String> match) {
            this.match = Objects.requireNonNull(match, "match");
            return this;
        }

        /** Builds. */
        public GenerationEvaluator build() {
            if (options == null || decoder == null) {
                throw new IllegalArgumentException("GenerationEvaluator needs setOptions and setDecoder");
            }
            return new GenerationEvaluator(this);
        }
    }
}
