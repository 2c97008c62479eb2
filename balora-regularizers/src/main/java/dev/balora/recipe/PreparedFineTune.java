package dev.balora.recipe;

import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.PissaToLora;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.eval.Predictor;
import dev.balora.model.PretrainedModel;
import dev.balora.objective.WeightedObjective;
import dev.balora.train.EvalRecord;
import dev.balora.train.Evaluation;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingListener;
import dev.balora.train.TrainingResult;
import dev.balora.train.TrainingTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recipe run with its model loaded, data encoded and adapters attached, ready to {@link #train()}; for notebooks
 * and programs that want to look at the model before or after training. Closing it frees the model.
 */
public final class PreparedFineTune implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedFineTune.class);

    private final FineTune recipe;
    private final RecipeSettings settings;
    private final TaskSetup setup;
    private final LoraModel lora;
    private final TrainingTask task;
    private final List<TrainingListener> listeners;
    private final double initSeconds;
    private final long started;
    private final Path modelDir;

    private PreparedFineTune(FineTune recipe, TaskSetup setup, LoraModel lora, TrainingTask task,
            List<TrainingListener> listeners, double initSeconds, long started, Path modelDir) {
        this.recipe = recipe;
        this.modelDir = modelDir;
        this.settings = recipe.settings();
        this.setup = setup;
        this.lora = lora;
        this.task = task;
        this.listeners = listeners;
        this.initSeconds = initSeconds;
        this.started = started;
    }

    static PreparedFineTune open(FineTune recipe, List<TrainingListener> listeners) {
        long started = System.nanoTime();
        RecipeSettings s = recipe.settings();
        Path modelDir = ModelResolver.resolve(s.model());
        TaskSetup setup = s.taskKind() == TaskKind.CLASSIFICATION
                ? ClassificationSetup.open(s, modelDir, FineTune.deviceOf(s.device()),
                        (long) (s.referenceCacheMib() == null ? 0 : s.referenceCacheMib()) << 20)
                : CausalLmSetup.open(s, modelDir, FineTune.deviceOf(s.device()));
        try {
            long t0 = System.nanoTime();
            LoraModel lora = LoraModel.attach(setup.model(),
                    s.adapter().toConfig(setup.model(), s.taskKind().peftTaskType(),
                            s.taskKind() == TaskKind.CLASSIFICATION, s.seed(), s.model()));
            double initSeconds = (System.nanoTime() - t0) / 1e9;
            LOG.info("{} adapters on {} in {} s: {}", s.method(), s.model(), String.format("%.1f", initSeconds),
                    lora.parameterCount());
            WeightedObjective objective = s.methodEnum().regularized()
                    ? s.presetEnum().objective(s.alignmentEnum()) : null;
            TrainingTask task = setup.trainingTask(objective);
            return new PreparedFineTune(recipe, setup, lora, task, listeners, initSeconds, started, modelDir);
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    /** The resolved settings. */
    public RecipeSettings settings() {
        return settings;
    }

    /** The loaded model with its adapters. */
    public PretrainedModel model() {
        return setup.model();
    }

    /** The attached adapters. */
    public LoraModel adapters() {
        return lora;
    }

    /** The training task (how a batch becomes a loss). */
    public TrainingTask trainingTask() {
        return task;
    }

    /**
     * The classifier's predictions with the current adapters.
     *
     * @throws IllegalStateException for a causal-LM run
     */
    public Predictor predictor() {
        if (setup instanceof ClassificationSetup c) {
            return c.predictor();
        }
        throw new IllegalStateException("predictor() serves classification runs; a causal LM generates with "
                + "dev.balora.generate.Generator on model()");
    }

    /** Trains, evaluates and writes the run's outputs. */
    public FineTuneResult train() {
        Path out = recipe.output();
        RunLayout layout = out == null ? null : new RunLayout(out);
        if (layout != null) {
            prepareFolder(layout);
        }
        OptimizationSettings o = settings.optimization();
        Evaluation evaluation = setup.evaluation();
        TrainerConfig.Builder cb = TrainerConfig.builder().setBatchSize(o.batchSize())
                .setLearningRate(o.learningRate().floatValue()).optEpochs(o.epochs()).optMaxSteps(o.maxSteps())
                .optGradientAccumulation(o.gradAccum()).optWeightDecay(o.weightDecay().floatValue())
                .optSchedule(o.scheduleKind()).optWarmupRatio(o.warmupRatio()).optMaxGradNorm(o.maxGradNorm())
                .optEvalEvery(o.evalEvery()).optCheckpointEvery(o.checkpointEvery())
                .optKeepCheckpoints(o.keepCheckpoints()).optSeed(o.seed()).optDevice(FineTune.deviceOf(settings.device()))
                .optEvalBeforeTraining(settings.evalBeforeTraining())
                .optLogEvery(Math.max(1, o.totalSteps(setup.trainData().size()) / 20))
                // DJL's progress bar writes to stdout, which carries the command's JSON: listeners draw progress.
                .optProgressBar(false).optLossCurve(layout != null);
        if (layout != null) {
            cb.optOutputDir(out);
        }
        Map<String, Double> initial = new LinkedHashMap<>();
        TrainingListener initialCapture = new TrainingListener() {
            @Override
            public void onEvaluation(EvalRecord record) {
                if (record.step() == 0) {
                    initial.putAll(record.metrics());
                }
            }
        };
        Trainer.Builder tb = Trainer.builder().setModel(setup.model()).setTask(task).setTrainData(setup.trainData())
                .setConfig(cb.build()).optEvaluation(evaluation).optListener(initialCapture)
                .optResumeFrom(recipe.resumes() ? out : null);
        listeners.forEach(tb::optListener);
        TrainingResult result;
        try (Trainer trainer = tb.build()) {
            result = trainer.fit();
        }
        Map<String, Double> last = new LinkedHashMap<>(result.lastEvaluation());
        if (recipe.resumes() && layout != null) {
            // What the interrupted process evaluated is in eval.jsonl (a run killed after its last checkpoint
            // resumes with no step left to run).
            if (initial.isEmpty()) {
                initial.putAll(EvalLog.metricsAt(layout.evals(), 0));
            }
            if (last.isEmpty()) {
                last.putAll(EvalLog.metricsAt(layout.evals(), result.steps()));
            }
        }
        FineTuneResult.Outputs outputs = layout == null ? FineTuneResult.Outputs.NONE : saveAdapters(layout, result);
        FineTuneResult r = new FineTuneResult(settings, last, initial, result.steps(),
                result.updates(), result.skippedSteps(), result.lastLoss(), setup.trainData().size(),
                setup.evalExamples(), lora.parameterCount().trainable(), initSeconds, result.seconds(),
                (System.nanoTime() - started) / 1e9, setup.details(), outputs);
        if (layout != null) {
            AtomicFiles.writeString(layout.summary(), r.toJson().toString() + "\n");
            LOG.info("{} on {}: {} after {} steps; outputs in {}", settings.method(), settings.task().task(),
                    last, result.steps(), out.toAbsolutePath());
        }
        return r;
    }

    private FineTuneResult.Outputs saveAdapters(RunLayout layout, TrainingResult result) {
        PeftAdapter.save(lora, layout.adapter());
        Path forBase = layout.adapter();
        if (lora.config().init().writesResidual()) {
            // Plain LoRA of rank 2r for the ORIGINAL base: no residual model to ship, no SVD at load time.
            PissaToLora.save(lora, layout.loraAdapter());
            forBase = layout.loraAdapter();
        }
        return new FineTuneResult.Outputs(layout.dir(), layout.adapter(), forBase, result.lastCheckpoint());
    }

    private void prepareFolder(RunLayout layout) {
        try {
            Files.createDirectories(layout.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create --out " + layout.dir() + ": " + e.getMessage(), e);
        }
        if (recipe.resumes()) {
            return;
        }
        Path checkpoints = layout.checkpoints();
        if (Files.isDirectory(checkpoints)) {
            // A fresh run must not leave an older run's checkpoints where --resume would find them.
            LOG.warn("starting afresh: removing the earlier run's {}", checkpoints);
            try (Stream<Path> paths = Files.walk(checkpoints)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + checkpoints + ": " + e.getMessage(), e);
            }
        }
        RunFile.write(layout, settings, modelDir);
    }

    @Override
    public void close() {
        setup.close();
    }
}
