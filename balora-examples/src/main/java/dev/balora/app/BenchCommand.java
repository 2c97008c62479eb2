package dev.balora.app;

import dev.balora.recipe.ModelResolver;
import dev.balora.recipe.GlueClassifiers;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import dev.balora.app.options.AdapterOptions;
import dev.balora.recipe.FineTune;
import dev.balora.recipe.FineTuneResult;
import dev.balora.recipe.Method;
import dev.balora.recipe.OptimizationSettings;
import dev.balora.recipe.Preset;
import dev.balora.recipe.TaskSettings;
import dev.balora.train.StepRecord;
import dev.balora.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code balora bench}: optimizer-step time, tokens/s and peak RSS of LoRA, PiSSA and BA-LoRA through the real
 * recipe and Trainer on fixed random token ids (every position real, so padding plays no part).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time optimizer steps of LoRA, PiSSA and BA-LoRA on a BERT classifier with fixed random "
                + "token ids;", "prints median step time, tokens/s, peak RSS and the BA-LoRA/PiSSA step-time ratio."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|NAME", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "a BERT model directory or an embedded model (default: ${DEFAULT-VALUE})")
    private String model;

    @Option(names = "--batch-size", defaultValue = "32", description = "examples per step (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--seq-len", defaultValue = "128", description = "tokens per example (default: ${DEFAULT-VALUE})")
    private int seqLen;

    @Mixin
    private AdapterOptions adapter;

    @Option(names = "--warmup-steps", defaultValue = "2",
            description = "steps run before timing starts (default: ${DEFAULT-VALUE})")
    private int warmupSteps;

    @Option(names = "--steps", defaultValue = "5", description = "timed steps per method (default: ${DEFAULT-VALUE})")
    private int steps;

    @Option(names = "--methods", defaultValue = "lora,pissa,balora", split = ",",
            description = "methods to time (default: ${DEFAULT-VALUE})")
    private List<String> methods;

    @Option(names = "--preset", defaultValue = "nlu-cyp-jlu-ai",
            description = "BA-LoRA preset (default: ${DEFAULT-VALUE})")
    private String preset;

    @Option(names = "--reference-cache",
            description = "let BA-LoRA cache reference outputs (the fixed batch then hits it after the first step)")
    private boolean referenceCache;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of ids, head and adapters (default: ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() {
        require(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
        require(seqLen >= 2, "--seq-len must be >= 2, got " + seqLen);
        require(warmupSteps >= 0, "--warmup-steps must be >= 0, got " + warmupSteps);
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        List<Method> chosen = methods.stream().map(Method::parse).toList();
        Preset objectivePreset = Preset.parse(preset);
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        JsonObject out = new JsonObject();
        out.addProperty("model", model);
        out.addProperty("batch_size", batchSize);
        out.addProperty("seq_len", seqLen);
        out.add("adapter", gson.toJsonTree(adapter.settings())); // as given; each method resolves its own defaults
        out.addProperty("warmup_steps", warmupSteps);
        out.addProperty("measured_steps", steps);
        out.addProperty("reference_cache", referenceCache);
        out.addProperty("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        out.addProperty("device", Engine.getInstance().defaultDevice().toString());
        out.addProperty("available_processors", Runtime.getRuntime().availableProcessors());
        JsonObject results = new JsonObject();
        for (Method method : chosen) {
            results.add(method.id(), time(method, objectivePreset).toJson());
        }
        out.add("methods", results);
        if (results.has("balora") && results.has("pissa")) {
            out.addProperty("balora_over_pissa_step_time",
                    results.getAsJsonObject("balora").get("median_step_seconds").getAsDouble()
                            / results.getAsJsonObject("pissa").get("median_step_seconds").getAsDouble());
        }
        spec.commandLine().getOut().println(gson.toJson(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** What one method measured. */
    record Timing(double medianStepSeconds, double tokensPerSecond, double peakRssMib, boolean peakRssReset,
            double adapterInitSeconds, double[] stepSeconds) {

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("median_step_seconds", medianStepSeconds);
            o.addProperty("tokens_per_second", tokensPerSecond);
            o.addProperty("peak_rss_mib", peakRssMib);
            // false: the kernel refused the reset, so the peak covers the whole process so far
            o.addProperty("peak_rss_since_method_start", peakRssReset);
            o.addProperty("adapter_init_seconds", adapterInitSeconds);
            o.add("step_seconds", new Gson().toJsonTree(stepSeconds));
            return o;
        }
    }

    private Timing time(Method method, Preset objectivePreset) {
        boolean reset = PeakRss.reset();
        List<Double> seconds = new ArrayList<>();
        FineTune.Builder b = FineTune.builder().setModel(model)
                .setTask(TaskSettings.randomTokens(batchSize, seqLen)).setMethod(method)
                .optAdapter(adapter.settings().forMethod(method))
                .optOptimization(OptimizationSettings.builder().optLearningRate(1e-4).optBatchSize(batchSize)
                        .optMaxSteps(warmupSteps + steps).optSeed(seed).build())
                .optEvalBeforeTraining(false).optReferenceCacheMib(referenceCache ? 256 : 0)
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepRecord record) {
                        if (record.step() > warmupSteps) {
                            seconds.add(record.seconds());
                        }
                    }
                });
        if (method.regularized()) {
            b.optPreset(objectivePreset);
        }
        FineTuneResult result = b.build().run();
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).toArray();
        double median = median(s);
        return new Timing(median, (double) batchSize * seqLen / median, PeakRss.mib(), reset,
                result.adapterInitSeconds(), s);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
