package dev.balora.examples;

import dev.balora.objective.WeightSchedule;
import dev.balora.recipe.AdapterSettings;
import dev.balora.recipe.FineTune;
import dev.balora.recipe.FineTuneResult;
import dev.balora.recipe.Method;
import dev.balora.recipe.OptimizationSettings;
import dev.balora.recipe.Preset;
import dev.balora.recipe.TaskSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fine-tunes all-MiniLM-L6-v2 on a small SST-2 subset with BA-LoRA (PiSSA adapters plus the BA-LoRA
 * regularizers) through the library's recipe, which saves the adapter in PEFT's format with the metrics and plot.
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.FineTuneSst2 [glue-dir] [output-dir] [train-examples]}
 * (defaults {@code ../shared/data/glue}, {@code runs/sst2-balora}, 1024). For every option and task see
 * {@link FineTuneGlue} and {@code balora finetune --help}.
 */
public final class FineTuneSst2 {

    private FineTuneSst2() {}

    /**
     * Trains and prints the SST-2 dev accuracy before and after.
     *
     * @param args optional GLUE folder, output folder and number of training sentences
     */
    public static void main(String[] args) {
        Path glue = Path.of(args.length > 0 ? args[0] : "../shared/data/glue");
        Path out = Path.of(args.length > 1 ? args[1] : "runs/sst2-balora");
        int trainExamples = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        Map<String, Double> after = run(glue, out, trainExamples, 0);
        System.out.println("adapter, metrics.jsonl and loss-curve.png written to " + out.toAbsolutePath() + "; dev "
                + after);
    }

    /**
     * Fine-tunes for one epoch.
     *
     * @param trainExamples how many training sentences, from the top of train.tsv
     * @param devExamples dev sentences evaluated (0 = all 872)
     * @return the dev metrics after training
     */
    public static Map<String, Double> run(Path glue, Path out, int trainExamples, int devExamples) {
        // A new, seeded two-way head on the embedded MiniLM, trained in full; PiSSA adapters (r = 8) on the
        // attention. BA-LoRA with the authors' SST-2 weights; consistency on the pooled hidden states, because the
        // new head's reference logits would come from a random head. The frozen model's outputs are cached, so
        // each sentence costs one reference pass in the whole run.
        FineTuneResult result = FineTune.builder()
                .setModel("all-minilm-l6-v2")
                .setTask(TaskSettings.glue("sst2", glue).optTrainLimit(trainExamples).optEvalLimit(devExamples)
                        .optMaxLength(64))
                .setMethod(Method.BALORA).optPreset(Preset.NLU_EARLY_SCRIPT_HIDDEN)
                .optAdapter(AdapterSettings.builder().optTargets("query,key,value").optRank(8).optAlpha(8).build())
                .optOptimization(OptimizationSettings.builder().optLearningRate(1e-3).optBatchSize(16).optEpochs(1)
                        .optWarmupRatio(0.1).optSeed(42).build())
                .optOutput(out)
                .build().run();
        System.out.printf("%d steps in %.1f s; dev before %s, after %s%n", result.steps(), result.trainSeconds(),
                result.initialMetrics(), result.metrics());
        return result.metrics();
    }
}
