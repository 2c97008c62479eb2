package dev.balora.app;

import dev.balora.recipe.AdapterSettings;
import dev.balora.recipe.FineTune;
import dev.balora.recipe.Method;
import dev.balora.recipe.ModelResolver;
import dev.balora.recipe.OptimizationSettings;
import dev.balora.recipe.Preset;
import dev.balora.recipe.TaskSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's runs, all in one place: short sentences (32 tokens), r = 8 on every linear layer, three epochs of the
 * bundled 312 training sentences, the same budget for LoRA, PiSSA and BA-LoRA.
 */
final class DemoSettings {
    /** The methods the demo compares. */
    static final List<Method> METHODS = List.of(Method.LORA, Method.PISSA, Method.BALORA);

    private DemoSettings() {}

    /**
     * The recipe of one method.
     *
     * @param method the method
     * @param data the folder holding train.tsv and dev.tsv (SST-2's layout: sentence TAB label)
     * @param out the method's output folder
     * @param maxSteps a step budget overriding the epochs, or -1
     * @param progress a progress listener, or null
     */
    static FineTune recipe(Method method, Path data, Path out, int maxSteps, ProgressPrinter progress) {
        // PiSSA by a randomized SVD (PEFT's pissa_niter_4): seconds instead of a minute of exact SVDs.
        AdapterSettings.Builder adapter = AdapterSettings.builder().optRank(8).optAlpha(16);
        if (method != Method.LORA) {
            adapter.optInit("pissa-fast").optNiter(4);
        }
        FineTune.Builder b = FineTune.builder().setModel(ModelResolver.DEFAULT_MODEL)
                .setTask(TaskSettings.glue("sst2", data).optMaxLength(32))
                .setMethod(method).optAdapter(adapter.build())
                .optOptimization(OptimizationSettings.builder().optLearningRate(2e-3).optWarmupRatio(0.1)
                        .optEpochs(3).optBatchSize(16).optMaxSteps(maxSteps).optSeed(42).build())
                .optOutput(out).optEvalBeforeTraining(false);
        if (method.regularized()) {
            b.optPreset(Preset.NLU_CYP_JLU_AI);
        }
        if (progress != null) {
            b.optListener(progress);
        }
        return b.build();
    }
}
