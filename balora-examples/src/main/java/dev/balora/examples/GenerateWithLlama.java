package dev.balora.examples;

import dev.balora.generate.GenerationOptions;
import dev.balora.generate.Generator;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Loads a Llama-architecture checkpoint (aidreams260K by default) and continues token sequences greedily, by
 * sampling, and as a batch.
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.GenerateWithLlama [model-dir]} (default
 * {@code ../shared/models/aidreams260K}). aidreams260K has no tokenizer.json, so this prints token ids; for a model
 * that has one, decode with {@code HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json")).decode(ids)}.
 */
public final class GenerateWithLlama {

    /** The beginning-of-sequence token of llama2.c models. */
    public static final int BOS = 1;

    private GenerateWithLlama() {}

    /**
     * Prints greedy, sampled and batched continuations.
     *
     * @param args optional model directory
     */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/models/aidreams260K");
        // Models.load reads config.json, picks the architecture by model_type and maps the safetensors weights.
        try (PretrainedModel loaded = Models.load(dir)) {
            CausalLanguageModel lm = (CausalLanguageModel) loaded;
            System.out.println("greedy:  " + Arrays.toString(greedy(lm, 32)));

            // Temperature < 1 sharpens the distribution; top-p keeps the smallest set of tokens holding 90 % of
            // the mass. The seed makes the sample reproducible.
            GenerationOptions sampling = GenerationOptions.builder().setMaxNewTokens(32).optTemperature(0.8)
                    .optTopP(0.9).optSeed(7).build();
            System.out.println("sampled: " + Arrays.toString(Generator.generate(lm, new int[] {BOS}, sampling)));

            // Prompts of different lengths go through together: they are left-padded and masked.
            List<int[]> batch = Generator.generate(lm, List.of(new int[] {BOS}, new int[] {BOS, 319, 459}),
                    GenerationOptions.greedy(8));
            batch.forEach(ids -> System.out.println("batched: " + Arrays.toString(ids)));
        }
    }

    /** Greedy decoding of {@code n} tokens after BOS, with the KV cache. */
    public static int[] greedy(CausalLanguageModel lm, int n) {
        return Generator.generate(lm, new int[] {BOS}, GenerationOptions.greedy(n));
    }
}
