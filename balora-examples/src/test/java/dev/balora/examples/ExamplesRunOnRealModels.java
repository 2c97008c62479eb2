package dev.balora.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.fixtures.SharedData;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API examples run on the real models and give what independent facts say: a paraphrase is closer than an
 * unrelated sentence, PiSSA init and the PiSSA-to-LoRA conversion preserve outputs, greedy aidreams260K matches
 * llama2.c's run.c.
 */
class ExamplesRunOnRealModels {

    @TempDir
    static Path cache;

    private static String previousCache;

    @BeforeAll
    static void useTemporaryCache() {
        previousCache = System.getProperty("balora.cache");
        System.setProperty("balora.cache", cache.toString());
    }

    @AfterAll
    static void restoreCache() {
        if (previousCache == null) {
            System.clearProperty("balora.cache");
        } else {
            System.setProperty("balora.cache", previousCache);
        }
    }

    @Test
    void embedSentencesRanksTheParaphraseAboveTheUnrelatedSentence() {
        double[][] cos = EmbedSentences.similarities(List.of("A man is playing a guitar.",
                "Someone is playing an instrument.", "The stock market fell sharply today."));
        assertTrue(Math.abs(cos[0][0] - 1) < 1e-6, "self-similarity " + cos[0][0]);
        assertTrue(cos[0][1] > cos[0][2] + 0.2, "paraphrase " + cos[0][1] + " vs unrelated " + cos[0][2]);
        EmbedSentences.main(new String[] {"one", "two"});
    }

    @Test
    void adaptWithPissaKeepsOutputsAndTheConvertedLoraReproducesThem(@TempDir Path out) throws Exception {
        double[] gaps = AdaptWithPissa.run(out);
        assertTrue(gaps[0] < 1e-4, "PiSSA init moved the embeddings by " + gaps[0]);
        assertTrue(gaps[1] < 1e-4, "converted LoRA differs by " + gaps[1]);
        assertTrue(Files.isRegularFile(out.resolve("lora-adapter/adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("pissa-adapter/adapter_config.json")));
    }

    @Test
    void generateWithLlamaMatchesTheRunCReference() throws Exception {
        Path model = SharedData.require("models/aidreams260K");
        JsonObject ref = JsonParser.parseString(Files.readString(SharedData.require("reference/aidreams260K-run-c.json")))
                .getAsJsonObject();
        // Greedy from BOS alone yields the reference prompt (without BOS) followed by its greedy tokens.
        JsonArray prompt = ref.getAsJsonArray("prompt");
        int[] expected = new int[32];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = prompt.get(i + 1).getAsInt();
        }
        try (CausalLanguageModel lm = (CausalLanguageModel) Models.load(model)) {
            assertArrayEquals(expected, GenerateWithLlama.greedy(lm, 32));
        }
        GenerateWithLlama.main(new String[] {model.toString()});
    }
}
