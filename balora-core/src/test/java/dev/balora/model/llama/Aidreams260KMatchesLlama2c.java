package dev.balora.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.fixtures.SharedData;
import dev.balora.generate.GenerationOptions;
import dev.balora.generate.Generator;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.TinyCheckpoints;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;
import dev.balora.nn.Layers;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real aidreams260K checkpoint reproduces llama2.c's run.c logits and greedy tokens, with and without cache. */
class Aidreams260KMatchesLlama2c {
    static CausalLanguageModel model;
    static int[] prompt;
    static double[][] logits;
    static int[] greedy;
    static int threads;

    @BeforeAll
    static void load() throws Exception {
        // Token-by-token decoding of a 0.26M model is hundreds of tiny ops per token: on a loaded 2-core machine
        // intra-op thread barriers made it ~30x slower than one thread. Restored after the class.
        ai.djl.engine.Engine.getInstance(); // loads libtorch before its thread settings are touched
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        model = (CausalLanguageModel) Models.load(SharedData.require("models/aidreams260K"));
        JsonObject ref = JsonParser.parseString(Files.readString(
                SharedData.require("reference/aidreams260K-run-c.json"))).getAsJsonObject();
        prompt = ints(ref.getAsJsonArray("prompt"));
        greedy = ints(ref.getAsJsonArray("greedy"));
        logits = TinyCheckpoints.doubles2(ref.getAsJsonArray("logits"));
    }

    @AfterAll
    static void close() {
        JniUtils.setNumThreads(threads);
        model.close();
    }

    static int[] ints(JsonArray a) {
        return IntStream.range(0, a.size()).map(i -> a.get(i).getAsInt()).toArray();
    }

    static double maxDiff(float[] actual, double[][] expected) {
        double worst = 0;
        int v = expected[0].length;
        for (int t = 0; t < expected.length; t++) {
            for (int j = 0; j < v; j++) {
                worst = Math.max(worst, Math.abs(actual[t * v + j] - expected[t][j]));
            }
        }
        return worst;
    }

    @Test
    void loadsAsTiedLlamaWithHuggingFacePaths() {
        assertInstanceOf(LlamaForCausalLM.class, model);
        assertEquals("llama", model.modelType());
        assertTrue(Layers.linears(model).containsKey("model.layers.3.self_attn.q_proj"));
        assertTrue(Layers.linears(model).containsKey("lm_head"));
        assertEquals(Layers.parameters(model).get("model.embed_tokens.weight").array(),
                Layers.parameters(model).get("lm_head.weight").array());
        // dim 64, 4 layers, hidden 172, vocab 512, tied: 512*64 + 4*(4*64*64 + 3*64*172 + 2*64) + 64.
        assertEquals(512 * 64 + 4 * (4 * 64 * 64 + 3 * 64 * 172 + 2 * 64) + 64, Layers.count(model, false));
    }

    @Test
    void logitsAtAll41PromptPositionsWithin1e4() {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.create(Arrays.stream(prompt).asLongStream().toArray(), new Shape(1, prompt.length));
            float[] out = model.logits(ids, null, ForwardContext.INFERENCE).toFloatArray();
            double diff = maxDiff(out, logits);
            System.out.println("aidreams260K F32 max |logit - run.c| = " + diff);
            assertTrue(diff < 1e-4, "max abs diff " + diff);
        }
    }

    @Test
    void logitsOverTheCacheMatchToo() {
        // The prompt in a chunk of 17, then one token at a time through the KV cache.
        try (NDManager m = model.manager().newSubManager(); KvCache cache = model.newCache(m)) {
            float[] all = new float[prompt.length * model.vocabSize()];
            int pos = 0;
            while (pos < prompt.length) {
                int n = pos == 0 ? 17 : 1;
                try (NDManager s = m.newSubManager()) {
                    long[] chunk = Arrays.stream(prompt, pos, pos + n).asLongStream().toArray();
                    NDArray out = model.forward(s.create(chunk, new Shape(1, n)), null, cache,
                            ForwardContext.INFERENCE);
                    System.arraycopy(out.toFloatArray(), 0, all, pos * model.vocabSize(), n * model.vocabSize());
                }
                pos += n;
            }
            double diff = maxDiff(all, logits);
            System.out.println("aidreams260K F32 cached max |logit - run.c| = " + diff);
            assertTrue(diff < 1e-4, "max abs diff " + diff);
        }
    }

    @Test
    void greedyAfterThePromptGivesThe64ReferenceTokens() {
        for (boolean cache : new boolean[] {true, false}) {
            GenerationOptions o = GenerationOptions.builder().setMaxNewTokens(64).optUseCache(cache).build();
            assertArrayEquals(greedy, Generator.generate(model, prompt, o), "cache=" + cache);
        }
    }

    @Test
    void greedyFromBosGivesPromptTailThenGreedy() {
        int[] expected = IntStream.concat(Arrays.stream(prompt, 1, prompt.length), Arrays.stream(greedy)).toArray();
        assertEquals(104, expected.length);
        for (boolean cache : new boolean[] {true, false}) {
            GenerationOptions o = GenerationOptions.builder().setMaxNewTokens(104).optUseCache(cache).build();
            assertArrayEquals(expected, Generator.generate(model, new int[] {1}, o), "cache=" + cache);
        }
    }
}
