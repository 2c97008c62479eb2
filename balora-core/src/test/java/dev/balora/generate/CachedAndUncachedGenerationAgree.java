package dev.balora.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.TinyCheckpoints;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generation over the KV cache gives the same tokens as recomputing everything, for batched prompts of different
 * lengths (left-padded), greedy and sampled; a padded batch row gives what the prompt gives alone.
 */
class CachedAndUncachedGenerationAgree {
    static int threads;

    @BeforeAll
    static void oneThread() {
        // Tiny models decode faster on one intra-op thread; on a loaded machine thread barriers dominate.
        ai.djl.engine.Engine.getInstance(); // loads libtorch before its thread settings are touched
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threads);
    }

    static final List<int[]> PROMPTS = List.of(new int[] {1, 17, 33, 5, 9, 40}, new int[] {1, 8}, new int[] {1, 3, 21});

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "gemma", "gpt2"})
    void sameTokensWithAndWithoutCache(String name) {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir(name))) {
            for (double temperature : new double[] {0, 1.3}) {
                GenerationOptions.Builder b = GenerationOptions.builder().setMaxNewTokens(8)
                        .optTemperature(temperature).optTopK(20).optTopP(0.9).optSeed(7);
                List<int[]> cached = Generator.generate(model, PROMPTS, b.optUseCache(true).build());
                List<int[]> plain = Generator.generate(model, PROMPTS, b.optUseCache(false).build());
                for (int i = 0; i < PROMPTS.size(); i++) {
                    assertArrayEquals(plain.get(i), cached.get(i), name + " T=" + temperature + " row " + i);
                    assertEquals(8, cached.get(i).length);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "qwen2", "gpt2"})
    void paddedRowContinuesLikeThePromptAlone(String name) {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir(name))) {
            GenerationOptions greedy = GenerationOptions.greedy(8);
            List<int[]> batched = Generator.generate(model, PROMPTS, greedy);
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertArrayEquals(Generator.generate(model, PROMPTS.get(i), greedy), batched.get(i), "row " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa"})
    void seedDecidesSamplesAndStopTokensEndRows(String name) {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir(name))) {
            GenerationOptions.Builder b = GenerationOptions.builder().setMaxNewTokens(12).optTemperature(1.5);
            int[] a = Generator.generate(model, PROMPTS.get(0), b.optSeed(1).build());
            assertArrayEquals(a, Generator.generate(model, PROMPTS.get(0), b.optSeed(1).build()));
            assertNotEquals(Arrays.toString(a), Arrays.toString(
                    Generator.generate(model, PROMPTS.get(0), b.optSeed(2).build())));
            // Stop at the third sampled token: it is emitted, nothing follows it.
            int stop = a[2];
            int[] stopped = Generator.generate(model, PROMPTS.get(0), b.optSeed(1).optStopTokens(stop).build());
            int first = 0;
            while (a[first] != stop) {
                first++;
            }
            assertArrayEquals(Arrays.copyOf(a, first + 1), stopped);
            assertTrue(stopped.length <= 3);
        }
    }
}
