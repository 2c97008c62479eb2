package dev.balora.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe's settings: unset values take the task kind's defaults (the table in TaskKind.Defaults and README),
 * the kind follows from the model and the data, and what does not fit is refused with the option named.
 */
class SettingsResolveToTheKindsDefaults {

    @Test
    void defaultsDependOnTheKind() {
        OptimizationSettings cls = OptimizationSettings.defaults().resolve(TaskKind.CLASSIFICATION);
        assertEquals(5e-4, cls.learningRate());
        assertEquals(32, cls.batchSize());
        assertEquals(0.06, cls.warmupRatio());
        assertEquals(0.01, cls.weightDecay());
        assertEquals(3, cls.epochs());
        OptimizationSettings lm = OptimizationSettings.defaults().resolve(TaskKind.CAUSAL_LM);
        assertEquals(2e-5, lm.learningRate());
        assertEquals(8, lm.batchSize());
        assertEquals(0.0, lm.weightDecay());
        assertEquals(1, lm.epochs());
        AdapterSettings a = AdapterSettings.builder().optRank(4).build();
        assertEquals(8.0, a.resolve(TaskKind.CLASSIFICATION, Method.LORA).alpha(), "alpha 2r");
        assertEquals(4.0, a.resolve(TaskKind.CAUSAL_LM, Method.LORA).alpha(), "alpha r");
        assertEquals("pissa", a.resolve(TaskKind.CAUSAL_LM, Method.BALORA).init());
        assertEquals("pissa-fast", a.resolve(TaskKind.CAUSAL_LM, Method.PISSA_FAST).init());
        // 10 examples, batch 4 -> 3 micro-batches; accumulation 2 -> 2 steps per epoch
        OptimizationSettings o = OptimizationSettings.builder().optBatchSize(4).optGradAccum(2).optEpochs(3).build()
                .resolve(TaskKind.CLASSIFICATION);
        assertEquals(2, o.stepsPerEpoch(10));
        assertEquals(6, o.totalSteps(10));
    }

    @Test
    void theKindFollowsFromModelAndData(@TempDir Path tmp) throws Exception {
        Path sst = Files.createDirectories(tmp.resolve("SST-2"));
        assertEquals("sst2", TaskSettings.of(sst).build().resolve("bert").task(), "a GLUE folder names its task");
        assertEquals(TaskKind.CAUSAL_LM, TaskSettings.of(tmp.resolve("x.jsonl")).build().resolve("qwen2").kind());
        IllegalArgumentException encoder = assertThrows(IllegalArgumentException.class,
                () -> TaskSettings.of(tmp.resolve("x.jsonl")).build().resolve("bert"));
        assertTrue(encoder.getMessage().startsWith("model_type 'bert' is an encoder without a language-model head"),
                encoder.getMessage());
        assertEquals(TaskKind.CAUSAL_LM, TaskSettings.of(sst).build().resolve("llama").kind(), "a decoder");
        assertEquals(128, TaskSettings.glue("rte", sst).build().resolve("bert").maxLength());
        assertEquals(512, TaskSettings.causalLm(tmp.resolve("x.jsonl")).build().resolve("llama").maxLength());
        assertNull(TaskSettings.causalLm(tmp.resolve("x.jsonl")).build().resolve("llama").pooling());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskSettings.causalLm(tmp.resolve("x.jsonl")).optPooling("mean").build().resolve("llama"));
        assertTrue(e.getMessage().startsWith("--pooling does not apply to causal-lm fine-tuning"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TaskSettings.of(tmp).build().resolve("bert"));
        assertTrue(e.getMessage().startsWith("--task is required"), e.getMessage());
    }

    @Test
    void anInitOfTheOtherFamilyIsRefusedOrLeftToTheMethod() {
        AdapterSettings fast = AdapterSettings.builder().optInit("pissa-fast").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fast.resolve(TaskKind.CLASSIFICATION, Method.LORA));
        assertTrue(e.getMessage().contains("--init pissa-fast does not fit --method lora"), e.getMessage());
        assertEquals("lora", fast.forMethod(Method.LORA).resolve(TaskKind.CLASSIFICATION, Method.LORA).init());
        assertEquals("pissa-fast", fast.forMethod(Method.BALORA).resolve(TaskKind.CLASSIFICATION, Method.BALORA)
                .init());
        assertThrows(IllegalArgumentException.class, () -> AdapterSettings.builder().optInit("gaussian").build()
                .resolve(TaskKind.CLASSIFICATION, Method.PISSA));
    }

    @Test
    void theRecipeRefusesAPresetOfTheOtherKind(@TempDir Path tmp) throws Exception {
        Path sst = Files.createDirectories(tmp.resolve("SST-2"));
        Files.writeString(sst.resolve("train.tsv"), "sentence\tlabel\ngood\t1\n");
        Files.writeString(sst.resolve("dev.tsv"), "sentence\tlabel\nbad\t0\n");
        FineTune.Builder b = FineTune.builder().setModel("all-minilm-l6-v2").setTask(TaskSettings.of(sst).build())
                .setMethod(Method.BALORA).optPreset(Preset.NLG_ICLR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("--preset nlg-iclr is a causal-lm preset; classification fine-tuning takes nlu-cyp-jlu-ai, "
                + "nlu-early-script, nlu-cyp-jlu-ai-hidden, nlu-early-script-hidden", e.getMessage());
        RecipeSettings s = b.optPreset(null).build().settings();
        assertEquals("nlu-cyp-jlu-ai", s.preset(), "the kind's default preset");
        assertEquals(256, s.referenceCacheMib());
        assertEquals("sst2", s.task().task());
    }
}
