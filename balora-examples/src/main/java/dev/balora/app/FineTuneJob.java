package dev.balora.app;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.ModuleSelector;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.PissaToLora;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.data.BatchOrder;
import dev.balora.data.EncodedDataset;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.eval.GlueEvaluator;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.model.bert.ClassifierPooling;
import dev.balora.train.ReferenceCache;
import dev.balora.train.SequenceClassificationTask;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GLUE fine-tuning run assembled from the core APIs: classifier, adapters (LoRA or PiSSA init), the optional
 * BA-LoRA objective, the {@link Trainer}, then the PEFT adapter, its PiSSA-to-LoRA conversion and {@value #SUMMARY}.
 *
 * <p>Output folder: {@value FineTuneSpec#FILE}, {@code metrics.jsonl}, {@code loss-curve.png}, {@code checkpoints/}
 * (written by the trainer), {@value #ADAPTER}/ (the adapter for the model it was trained on: for PiSSA the
 * residual model), {@value #LORA_ADAPTER}/ (PiSSA and BA-LoRA: the same update as a plain LoRA adapter for the
 * original base model) and {@value #SUMMARY}.
 */
public final class FineTuneJob {
    /** The trained PEFT adapter's folder. */
    public static final String ADAPTER = "adapter";
    /** The converted (PiSSA to LoRA) adapter's folder. */
    public static final String LORA_ADAPTER = "adapter-lora";
    /** The final summary file. */
    public static final String SUMMARY = "summary.json";
    /** Reference rows kept across epochs for BA-LoRA. */
    static final long REFERENCE_CACHE_BYTES = 256L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneJob.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int EVAL_BATCH = 64;

    private FineTuneJob() {}

    /**
     * Trains, saves the adapters and writes the summary.
     *
     * @param spec the run's settings
     * @param resume continue from the checkpoints in {@code spec.out()}
     * @return the summary (also written to {@value #SUMMARY})
     */
    public static JsonObject run(FineTuneSpec spec, boolean resume) {
        long started = System.nanoTime();
        GlueTask task = spec.taskEnum();
        Method method = spec.methodEnum();
        TaskFiles files = TaskFiles.locate(task, Path.of(spec.data()));
        Path modelDir = ModelResolver.resolve(spec.model());
        Path out = spec.outDir();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create --out " + out + ": " + e.getMessage(), e);
        }
        if (!resume) {
            discardCheckpoints(out.resolve("checkpoints"));
            spec.save();
        }
        try (NDManager manager = NDManager.newBaseManager();
                TextEncoder encoder = GlueClassifiers.encoder(modelDir, spec.maxLength())) {
            EncodedDataset train = GlueDatasets.load(task, files.train(), encoder, spec.badRowsEnum(),
                    BatchOrder.BUCKETED, spec.trainLimit());
            EncodedDataset dev = GlueDatasets.load(task, files.dev(), encoder, spec.badRowsEnum(), BatchOrder.SORTED,
                    spec.devLimit());
            BertForSequenceClassification model = GlueClassifiers.load(modelDir, task, spec.seed(),
                    spec.poolingEnum(), manager);
            long initStart = System.nanoTime();
            LoraModel lora = LoraModel.attach(model, adapterConfig(spec, model));
            double initSeconds = (System.nanoTime() - initStart) / 1e9;
            SequenceClassificationTask.Builder tb = SequenceClassificationTask.builder().setModel(model);
            if (method.regularized()) {
                tb.optObjective(spec.presetEnum().objective())
                        .optReferenceCache(new ReferenceCache(REFERENCE_CACHE_BYTES));
            }
            SequenceClassificationTask trainingTask = tb.build();
            GlueEvaluator evaluator = new GlueEvaluator(task, dev, EVAL_BATCH, trainingTask.predictor());
            TrainingResult result;
            try (Trainer trainer = Trainer.builder().setModel(model).setTask(trainingTask).setTrainData(train)
                    .setConfig(trainerConfig(spec, train.size())).optEvaluation(evaluator::evaluate)
                    .optResumeFrom(resume ? out : null).build()) {
                result = trainer.fit();
            }
            Path adapterDir = out.resolve(ADAPTER);
            PeftAdapter.save(lora, adapterDir);
            Path loraDir = null;
            if (method.init().writesResidual()) {
                loraDir = out.resolve(LORA_ADAPTER);
                PissaToLora.save(lora, loraDir);
            }
            JsonObject summary = summary(spec, result, train.size(), dev.size(), initSeconds,
                    (System.nanoTime() - started) / 1e9, lora, model.pooling(), adapterDir, loraDir);
            AtomicFiles.writeString(out.resolve(SUMMARY), GSON.toJson(summary) + "\n");
            LOG.info("{} on {}: {} after {} steps; outputs in {}", method.id(), task, result.lastEvaluation(),
                    result.steps(), out.toAbsolutePath());
            return summary;
        }
    }

    private static void discardCheckpoints(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        // A fresh run must not leave an older run's checkpoints where --resume would find them.
        LOG.warn("starting afresh: removing the earlier run's {}", dir);
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The adapter configuration of a run: targets, rank, alpha, dropout, init, trained heads. */
    static AdapterConfig adapterConfig(FineTuneSpec spec, BertForSequenceClassification model) {
        return adapterConfig(model, spec.targets(), spec.rank(), spec.alpha(), spec.dropout(), spec.methodEnum(),
                spec.pissaNiter(), spec.seed(), spec.model());
    }

    /**
     * The adapter configuration of a method on a classifier; the output heads are trained in full. PiSSA inits use
     * a randomized SVD with {@code pissaNiter} subspace iterations, or an exact SVD when it is 0.
     */
    static AdapterConfig adapterConfig(BertForSequenceClassification model, String targets, int rank, double alpha,
            double dropout, Method method, int pissaNiter, long seed, String modelName) {
        InitMethod init = method.init().writesResidual() && pissaNiter > 0 ? InitMethod.PISSA_FAST : method.init();
        AdapterConfig.Builder b = AdapterConfig.builder().setTargets(targets(targets)).optRank(rank).optAlpha(alpha)
                .optDropout(dropout).optInit(init).optModulesToSave(List.copyOf(model.outputHeadPaths()))
                .optSeed(seed).optTaskType("SEQ_CLS").optBaseModelNameOrPath(modelName);
        if (init == InitMethod.PISSA_FAST) {
            b.optNiter(pissaNiter);
        }
        return b.build();
    }

    /** {@code all-linear} or a comma-separated list of module names. */
    static ModuleSelector targets(String value) {
        if (ModuleSelector.ALL_LINEAR.equals(value.trim())) {
            return ModuleSelector.allLinear();
        }
        List<String> names = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--targets '" + value + "' names no module");
        }
        return ModuleSelector.names(names);
    }

    private static TrainerConfig trainerConfig(FineTuneSpec spec, int trainSize) {
        int microBatches = (trainSize + spec.batchSize() - 1) / spec.batchSize();
        int total = spec.maxSteps() > 0 ? spec.maxSteps()
                : spec.epochs() * ((microBatches + spec.gradAccum() - 1) / spec.gradAccum());
        return TrainerConfig.builder().setBatchSize(spec.batchSize()).setLearningRate(spec.learningRate())
                .optEpochs(spec.epochs()).optMaxSteps(spec.maxSteps()).optGradientAccumulation(spec.gradAccum())
                .optWeightDecay(spec.weightDecay()).optSchedule(spec.scheduleEnum())
                .optWarmupRatio(spec.warmupRatio()).optMaxGradNorm(spec.maxGradNorm())
                .optEvalEvery(spec.evalEvery()).optCheckpointEvery(spec.checkpointEvery())
                .optOutputDir(spec.outDir()).optSeed(spec.seed()).optLogEvery(Math.max(1, total / 20))
                // DJL's progress bar writes to stdout, which carries the command's JSON; the log lines replace it.
                .optProgressBar(false).build();
    }

    private static JsonObject summary(FineTuneSpec spec, TrainingResult result, int trainSize, int devSize,
            double initSeconds, double wallSeconds, LoraModel lora, ClassifierPooling pooling, Path adapterDir,
            Path loraDir) {
        JsonObject s = new JsonObject();
        s.addProperty("task", spec.taskEnum().name().toLowerCase(java.util.Locale.ROOT));
        s.addProperty("method", spec.methodEnum().id());
        s.addProperty("model", spec.model());
        s.add("dev", GSON.toJsonTree(result.lastEvaluation()));
        s.addProperty("steps", result.steps());
        s.addProperty("updates", result.updates());
        s.addProperty("skipped_steps", result.skippedSteps());
        s.addProperty("final_loss", result.lastLoss());
        s.addProperty("train_examples", trainSize);
        s.addProperty("dev_examples", devSize);
        s.addProperty("adapter_init_seconds", initSeconds);
        s.addProperty("train_seconds", result.seconds());
        s.addProperty("wall_seconds", wallSeconds);
        s.addProperty("trainable_parameters", lora.parameterCount().trainable());
        s.addProperty("classifier_pooling", pooling.name().toLowerCase(java.util.Locale.ROOT));
        JsonObject outputs = new JsonObject();
        Path out = spec.outDir();
        outputs.addProperty("folder", out.toAbsolutePath().toString());
        outputs.addProperty("adapter", adapterDir.toAbsolutePath().toString());
        outputs.addProperty("lora_adapter", (loraDir != null ? loraDir : adapterDir).toAbsolutePath().toString());
        outputs.addProperty("metrics", out.resolve("metrics.jsonl").toAbsolutePath().toString());
        outputs.addProperty("loss_curve", out.resolve("loss-curve.png").toAbsolutePath().toString());
        if (result.lastCheckpoint() != null) {
            outputs.addProperty("checkpoint", result.lastCheckpoint().toAbsolutePath().toString());
        }
        s.add("outputs", outputs);
        s.add("settings", spec.toJson());
        return s;
    }
}
