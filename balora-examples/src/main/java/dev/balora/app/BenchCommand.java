package dev.balora.app;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.data.BatchOrder;
import dev.balora.data.Collator;
import dev.balora.data.EncodedDataset;
import dev.balora.data.EncodedExample;
import dev.balora.data.LabelType;
import dev.balora.data.glue.GlueTask;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.model.bert.ClassifierPooling;
import dev.balora.adapter.LoraModel;
import dev.balora.train.ReferenceCache;
import dev.balora.train.SequenceClassificationTask;
import dev.balora.train.StepRecord;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code balora bench}: optimizer-step time, tokens/s and peak RSS of LoRA, PiSSA and BA-LoRA through the real
 * {@link Trainer} on fixed random token ids (every position real, so padding plays no part).
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

    @Option(names = "--rank", defaultValue = "8", description = "adapter rank (default: ${DEFAULT-VALUE})")
    private int rank;

    @Option(names = "--targets", defaultValue = "all-linear",
            description = "adapted modules (default: ${DEFAULT-VALUE})")
    private String targets;

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

    @Option(names = "--pissa-niter", defaultValue = "0",
            description = "PiSSA init by a randomized SVD with N iterations, 0 = exact (default: ${DEFAULT-VALUE})")
    private int pissaNiter;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of ids, head and adapters (default: ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() {
        require(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
        require(seqLen >= 2, "--seq-len must be >= 2, got " + seqLen);
        require(rank >= 1, "--rank must be >= 1, got " + rank);
        require(warmupSteps >= 0, "--warmup-steps must be >= 0, got " + warmupSteps);
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        require(pissaNiter >= 0, "--pissa-niter must be >= 0, got " + pissaNiter);
        List<Method> chosen = methods.stream().map(Method::parse).toList();
        Preset objectivePreset = Preset.parse(preset);
        Path modelDir = ModelResolver.resolve(model);
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        JsonObject out = new JsonObject();
        out.addProperty("model", model);
        out.addProperty("batch_size", batchSize);
        out.addProperty("seq_len", seqLen);
        out.addProperty("rank", rank);
        out.addProperty("targets", targets);
        out.addProperty("warmup_steps", warmupSteps);
        out.addProperty("measured_steps", steps);
        out.addProperty("reference_cache", referenceCache);
        out.addProperty("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        out.addProperty("device", Engine.getInstance().defaultDevice().toString());
        out.addProperty("available_processors", Runtime.getRuntime().availableProcessors());
        JsonObject results = new JsonObject();
        for (Method method : chosen) {
            results.add(method.id(), time(modelDir, method, objectivePreset).toJson());
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

    private Timing time(Path modelDir, Method method, Preset objectivePreset) {
        boolean reset = PeakRss.reset();
        try (NDManager manager = NDManager.newBaseManager()) {
            BertForSequenceClassification classifier = GlueClassifiers.load(modelDir, GlueTask.SST2, seed,
                    ClassifierPooling.AUTO, manager);
            long t0 = System.nanoTime();
            LoraModel.attach(classifier, FineTuneJob.adapterConfig(classifier, targets, rank, 2.0 * rank, 0,
                    method, pissaNiter, seed, model));
            double initSeconds = (System.nanoTime() - t0) / 1e9;
            SequenceClassificationTask.Builder tb = SequenceClassificationTask.builder().setModel(classifier);
            if (method.regularized()) {
                tb.optObjective(objectivePreset.objective());
                if (referenceCache) {
                    tb.optReferenceCache(new ReferenceCache(FineTuneJob.REFERENCE_CACHE_BYTES));
                }
            }
            List<Double> seconds = new ArrayList<>();
            TrainerConfig config = TrainerConfig.builder().setBatchSize(batchSize).setLearningRate(1e-4f)
                    .optMaxSteps(warmupSteps + steps).optEvalAtEpochEnd(false).optCheckpointAtEpochEnd(false)
                    .optLossCurve(false).optProgressBar(false).optLogEvery(1000).optSeed(seed).build();
            try (Trainer trainer = Trainer.builder().setModel(classifier).setTask(tb.build())
                    .setTrainData(randomBatch(classifier.config().vocabSize())).setConfig(config)
                    .optListener(new TrainingListener() {
                        @Override
                        public void onStep(StepRecord record) {
                            if (record.step() > warmupSteps) {
                                seconds.add(record.seconds());
                            }
                        }
                    }).build()) {
                trainer.fit();
            }
            double[] s = seconds.stream().mapToDouble(Double::doubleValue).toArray();
            double median = median(s);
            return new Timing(median, (double) batchSize * seqLen / median, PeakRss.mib(), reset, initSeconds, s);
        }
    }

    /** One batch of fixed random ids in [1000, vocab), all positions real; the same batch every step. */
    private EncodedDataset randomBatch(int vocabSize) {
        SplittableRandom random = new SplittableRandom(seed);
        int low = Math.min(1000, vocabSize - 1);
        List<EncodedExample> examples = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            long[] ids = new long[seqLen];
            for (int t = 0; t < seqLen; t++) {
                ids[t] = random.nextInt(low, vocabSize);
            }
            examples.add(new EncodedExample(ids, new long[seqLen], i % 2));
        }
        return new EncodedDataset(examples, new Collator(0, 1, LabelType.CLASSIFICATION), BatchOrder.SEQUENTIAL, 1);
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
