package dev.balora.app;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.generate.GenerationOptions;
import dev.balora.generate.Generator;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code balora generate}: continues a token sequence greedily or by sampling. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Print {\"tokens\": [...new token ids...]} (plus \"text\" when the model directory has a "
                + "tokenizer.json) continuing the given tokens.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Hugging Face model directory")
    Path model;

    @Option(names = "--tokens", required = true, description = "comma-separated prompt token ids, e.g. 1")
    String tokens;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "most tokens to generate (${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "sample among the k most likely, 0 = all")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", description = "nucleus sampling threshold, 1 = off")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--stop", description = "comma-separated stop token ids (emitted, then generation ends)")
    String stop;

    @Option(names = "--no-cache", description = "recompute every step instead of using the KV cache")
    boolean noCache;

    @Override
    public Integer call() throws IOException {
        int[] prompt = TokenList.parse("--tokens", tokens);
        GenerationOptions options = GenerationOptions.builder().setMaxNewTokens(maxNewTokens)
                .optTemperature(temperature).optTopK(topK).optTopP(topP).optSeed(seed)
                .optStopTokens(TokenList.parse("--stop", stop)).optUseCache(!noCache).build();
        int[] generated;
        try (PretrainedModel loaded = Models.load(model)) {
            CausalLanguageModel lm = CausalModels.require(loaded, model);
            generated = Generator.generate(lm, prompt, options);
        }
        JsonObject out = new JsonObject();
        JsonArray ids = new JsonArray();
        Arrays.stream(generated).forEach(ids::add);
        out.add("tokens", ids);
        Path tokenizer = model.resolve(HfCheckpoint.TOKENIZER);
        if (Files.isRegularFile(tokenizer)) {
            try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(tokenizer)) {
                out.addProperty("text", tok.decode(Arrays.stream(generated).asLongStream().toArray()));
            }
        }
        System.out.println(out);
        System.out.flush();
        return 0;
    }
}
