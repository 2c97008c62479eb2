package dev.balora.examples;

import dev.balora.recipe.AdapterSettings;
import dev.balora.recipe.FineTune;
import dev.balora.recipe.FineTuneResult;
import dev.balora.recipe.Method;
import dev.balora.recipe.OptimizationSettings;
import dev.balora.recipe.TaskSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fine-tunes a BERT-family encoder on any GLUE task with LoRA, PiSSA, PiSSA-fast or BA-LoRA through the library's
 * recipe, and prints the summary JSON ({@code balora finetune} does the same with every option).
 *
 * <pre>
 * java -cp balora.jar dev.balora.examples.FineTuneGlue task=sst2 method=balora glue=../shared/data/glue \
 *     train-limit=4000 epochs=1 lr=5e-4 rank=8 batch=32 out=runs/sst2-balora
 * </pre>
 *
 * Every argument is optional ({@code key=value}); the model defaults to the embedded all-MiniLM-L6-v2.
 */
public final class FineTuneGlue {

    private FineTuneGlue() {}

    /** Runs the example. */
    public static void main(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String task = a.getOrDefault("task", "sst2");
        String method = a.getOrDefault("method", "balora");
        FineTuneResult result = FineTune.builder()
                .setModel(a.getOrDefault("model", "all-minilm-l6-v2"))
                .setTask(TaskSettings.glue(task, Path.of(a.getOrDefault("glue", "../shared/data/glue")))
                        .optTrainLimit(Integer.parseInt(a.getOrDefault("train-limit", "0")))
                        .optEvalLimit(Integer.parseInt(a.getOrDefault("dev-limit", "0")))
                        .optMaxLength(Integer.parseInt(a.getOrDefault("max-length", "64"))))
                .setMethod(Method.parse(method))
                .optAdapter(AdapterSettings.builder().optRank(Integer.parseInt(a.getOrDefault("rank", "8"))).build())
                .optOptimization(OptimizationSettings.builder()
                        .optBatchSize(Integer.parseInt(a.getOrDefault("batch", "32")))
                        .optLearningRate(Double.parseDouble(a.getOrDefault("lr", "5e-4")))
                        .optEpochs(Integer.parseInt(a.getOrDefault("epochs", "1")))
                        .optWarmupRatio(Double.parseDouble(a.getOrDefault("warmup", "0.06")))
                        .optSchedule(a.getOrDefault("schedule", "linear"))
                        .optEvalEvery(Integer.parseInt(a.getOrDefault("eval-every", "0")))
                        .optSeed(Long.parseLong(a.getOrDefault("seed", "42"))).build())
                .optOutput(Path.of(a.getOrDefault("out", "runs/" + task + "-" + method)))
                .build().run();
        System.out.println(result.toJson());
    }
}
