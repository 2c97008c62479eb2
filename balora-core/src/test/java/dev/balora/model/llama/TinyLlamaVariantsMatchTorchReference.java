package dev.balora.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.model.CausalLanguageModel;
import dev.balora.model.GoldenComparison;
import dev.balora.model.Models;
import dev.balora.model.TinyCheckpoints;
import dev.balora.nn.Layers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny GQA Llama (llama3 rope scaling, separate lm_head), Qwen2 (q/k/v biases) and Gemma (GeGLU, (1+w) norms,
 * scaled embeddings, explicit head_dim) match the independent plain-torch float64 reference of
 * src/test/python/tiny_decoders.py on single, left-padded and right-padded batches, with and without the KV cache.
 */
class TinyLlamaVariantsMatchTorchReference {
    static final double TOLERANCE = 2e-5;

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "qwen2", "gemma"})
    void logitsMatchAtEveryRealPosition(String name) {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir(name))) {
            for (Map.Entry<String, TinyCheckpoints.Case> e : TinyCheckpoints.golden(name).entrySet()) {
                double full = GoldenComparison.maxDiff(model, e.getValue());
                double cached = GoldenComparison.maxDiffCached(model, e.getValue(), 3);
                System.out.printf("%s %s: max |diff| %.3g, through the cache %.3g%n", name, e.getKey(), full, cached);
                assertTrue(full < TOLERANCE, name + " " + e.getKey() + ": " + full);
                assertTrue(cached < TOLERANCE, name + " " + e.getKey() + " cached: " + cached);
            }
        }
    }

    @Test
    void mistralIsTheSameArchitecture(@TempDir Path dir) throws IOException {
        // Mistral's decoder is Llama's: the GQA checkpoint relabelled as Mistral must give the same logits.
        Path tiny = TinyCheckpoints.dir("llama-gqa");
        Files.copy(tiny.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), Files.readString(tiny.resolve("config.json"))
                .replace("\"llama\"", "\"mistral\"").replace("LlamaForCausalLM", "MistralForCausalLM"));
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(dir)) {
            assertEquals("mistral", model.modelType());
            double diff = GoldenComparison.maxDiff(model, TinyCheckpoints.golden("llama-gqa").get("left_padded"));
            assertTrue(diff < TOLERANCE, "mistral: " + diff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "qwen2", "gemma"})
    void everyLinearCarriesItsHuggingFacePath(String name) {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir(name))) {
            Map<String, dev.balora.nn.Linear> linears = Layers.linears(model);
            // 7 projections per layer, 2 layers, plus lm_head.
            assertEquals(15, linears.size(), linears.keySet().toString());
            assertTrue(linears.containsKey("model.layers.1.self_attn.k_proj"));
            assertTrue(linears.containsKey("model.layers.0.mlp.down_proj"));
            assertTrue(linears.containsKey("lm_head"));
            assertEquals(name.equals("qwen2"), linears.get("model.layers.0.self_attn.q_proj").bias() != null);
            assertEquals(java.util.Set.of("lm_head"), model.outputHeadPaths());
        }
    }
}
