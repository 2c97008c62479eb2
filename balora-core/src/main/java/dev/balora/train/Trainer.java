package dev.balora.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchSource;
import dev.balora.nn.Layer;
import dev.balora.nn.Layers;
import dev.balora.nn.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * balora's training loop: AdamW over the model's trainable parameters, a learning-rate schedule with warm-up,
 * gradient accumulation, global-norm clipping, periodic evaluation, atomic checkpoints with exact resume, and
 * {@code metrics.jsonl} / {@code loss-curve.png}. Build with {@link #builder()}; run with {@link #fit()}.
 *
 * <p>The loop itself only plans batches, runs steps ({@link StepRunner}) and calls listeners; each concern is one
 * listener: {@link MetricsWriter} (metrics and eval logs, the loss curve), {@link ProgressBarListener},
 * {@link StepLogger}, the caller's listeners, then {@link PeriodicEvaluator} and {@link Checkpointer}. Resuming
 * ({@link Resume}) happens before the loop starts.
 *
 * <p>Everything the trainer creates (batches, temporaries, optimizer moments) lives on the device of the model's
 * parameters, unless {@link TrainerConfig.Builder#optDevice} names one, which must then be that device.
 */
public final class Trainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final BatchSource trainData;
    private final Evaluation evaluation;
    private final TrainerConfig config;
    private final List<TrainingListener> listeners;
    private final Path resumeFrom;
    private final Map<String, Param> trainable;
    private final NDManager manager;
    private final AdamW optimizer;
    private final Device device;
    private final StepRunner steps;

    private Trainer(Builder b) {
        this.trainData = b.trainData;
        this.evaluation = b.evaluation;
        this.config = b.config;
        this.listeners = List.copyOf(b.listeners);
        this.resumeFrom = b.resumeFrom;
        this.trainable = new LinkedHashMap<>();
        Map<String, Param> all = Layers.parameters(b.model);
        for (Map.Entry<String, Param> e : all.entrySet()) {
            if (e.getValue().trainable()) {
                trainable.put(e.getKey(), e.getValue());
            }
        }
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the model has no trainable parameter: attach adapters or mark "
                    + "parameters trainable (Param.setTrainable) before building the trainer");
        }
        this.device = device(all, config.device());
        this.manager = NDManager.newBaseManager(device);
        this.optimizer = new AdamW(config.beta1(), config.beta2(), config.epsilon(), config.weightDecay(), manager);
        this.steps = new StepRunner(b.task, trainData, config, trainable, optimizer, manager);
    }

    /**
     * The device the run uses: that of the model's parameters (all on one device), which a configured device must
     * equal. Batches and temporaries created anywhere else would meet the weights on another device.
     */
    private static Device device(Map<String, Param> parameters, Device configured) {
        Device model = null;
        for (Map.Entry<String, Param> e : parameters.entrySet()) {
            Device d = e.getValue().array().getDevice();
            if (model == null) {
                model = d;
            } else if (!model.equals(d)) {
                throw new IllegalArgumentException("the model's parameters are on more than one device: "
                        + e.getKey() + " is on " + d + ", others on " + model);
            }
        }
        if (configured != null && !configured.equals(model)) {
            throw new IllegalArgumentException("TrainerConfig asks for device " + configured + " but the model's "
                    + "parameters are on " + model + ": load the model on " + configured
                    + " (e.g. Models.load(dir, device)) or leave the trainer's device unset");
        }
        return model;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Optimizer steps in one epoch for the configured batch size and accumulation. */
    private int stepsPerEpoch() {
        int micro = (trainData.size() + config.batchSize() - 1) / config.batchSize();
        return (micro + config.gradientAccumulation() - 1) / config.gradientAccumulation();
    }

    /** Optimizer steps of the whole run. */
    public int totalSteps() {
        return config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch();
    }

    /** The device of the run: the model's. */
    public Device device() {
        return device;
    }

    /**
     * Trains until the configured number of steps or epochs is done.
     *
     * @return what happened
     * @throws NonFiniteLossException after too many consecutive non-finite steps
     */
    public TrainingResult fit() {
        long started = System.nanoTime();
        int total = totalSteps();
        LearningRateSchedule schedule = new LearningRateSchedule(config.schedule(), config.learningRate(),
                LearningRateSchedule.warmupSteps(config.warmupRatio(), total), total, config.finalLrRatio());
        Engine engine = Engine.getInstance();
        LOG.info("training on {} with {} (PYTORCH_FLAVOR={}); {} trainable tensors, {} values; {} steps of {}x{}"
                + " examples", device, engine.toString().replace('\n', ' '), System.getenv("PYTORCH_FLAVOR"),
                trainable.size(), trainable.values().stream().mapToLong(p -> p.shape().size()).sum(), total,
                config.gradientAccumulation(), config.batchSize());
        TrainerState start = new TrainerState(0, 0, 0, 0, config.seed(), total, 0, 0, Double.NaN);
        Path resumed = null;
        if (resumeFrom != null) {
            resumed = TrainingCheckpoint.resolve(resumeFrom);
            start = Resume.restore(resumed, total, config.seed(), trainable, optimizer, manager);
            LOG.info("resumed from {} at step {} (epoch {}, micro-batch {})", resumed, start.step(), start.epoch(),
                    start.batchInEpoch());
        }
        TrainingRun run = new TrainingRun(config, start, resumed, trainable, optimizer, manager);
        run.setListeners(listenersOf(run));
        Throwable failure = null;
        try {
            run.each(l -> l.onTrainingStart(run));
            List<int[]> plan = trainData.plan(config.batchSize(), config.seed(), run.nextEpoch());
            while (run.step() < total) {
                int from = run.nextBatch();
                int end = Math.min(plan.size(), from + config.gradientAccumulation());
                StepRecord rec = steps.run(plan.subList(from, end), run.step(), total, run.nextEpoch(),
                        schedule.at(run.step()));
                run.advance(rec, end, plan.size());
                run.each(l -> l.onStep(rec));
                if (run.consecutiveNonFinite() >= config.maxConsecutiveNonFinite()) {
                    throw new NonFiniteLossException(run.step(), run.consecutiveNonFinite(), run.lastCheckpoint());
                }
                if (run.epochEnded() && run.step() < total) {
                    plan = trainData.plan(config.batchSize(), config.seed(), run.nextEpoch());
                }
                run.each(l -> l.onStepEnd(run));
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            stop(run, failure);
        }
        TrainingResult result = new TrainingResult(run.step(), optimizer.updates(), run.skippedSteps(),
                run.lastLoss(), run.lastEvaluation(), (System.nanoTime() - started) / 1e9, run.lastCheckpoint());
        run.each(l -> l.onTrainingEnd(result));
        return result;
    }

    /** The trainer's own listeners around the caller's, in calling order. */
    private List<TrainingListener> listenersOf(TrainingRun run) {
        List<TrainingListener> all = new ArrayList<>();
        Path out = config.outputDir();
        if (out != null) {
            all.add(new MetricsWriter(out, config.lossCurve()));
        }
        if (config.progressBar()) {
            all.add(new ProgressBarListener());
        }
        all.add(new StepLogger());
        all.addAll(listeners);
        if (evaluation != null) {
            all.add(new PeriodicEvaluator(evaluation));
        }
        if (out != null) {
            all.add(new Checkpointer(out.resolve("checkpoints")));
        }
        return all;
    }

    /** Calls every listener's onTrainingStop, even when one of them throws; the first such error wins. */
    private static void stop(TrainingRun run, Throwable failure) {
        RuntimeException[] first = {null};
        run.each(l -> {
            try {
                l.onTrainingStop(failure);
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (first[0] == null) {
                    first[0] = e;
                } else {
                    first[0].addSuppressed(e);
                }
            }
        });
        if (first[0] != null) {
            throw first[0];
        }
    }

    /** Arrays alive under the trainer's own manager (optimizer state, and any step leftovers: should be none). */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** Releases the optimizer state. */
    @Override
    public void close() {
        manager.close();
    }

    /** Builder of {@link Trainer}. */
    public static final class Builder {
        private Layer model;
        private TrainingTask task;
        private BatchSource trainData;
        private Evaluation evaluation;
        private TrainerConfig config;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path resumeFrom;

        private Builder() {}

        /** Required: the model whose trainable parameters are optimized. */
        public Builder setModel(Layer model) {
            this.model = model;
            return this;
        }

        /** Required: how a batch becomes a loss. */
        public Builder setTask(TrainingTask task) {
            this.task = task;
            return this;
        }

        /** Required: the training data. */
        public Builder setTrainData(BatchSource trainData) {
            this.trainData = trainData;
            return this;
        }

        /** Required: the configuration. */
        public Builder setConfig(TrainerConfig config) {
            this.config = config;
            return this;
        }

        /** Optional: evaluation every N steps / at epoch end. */
        public Builder optEvaluation(Evaluation evaluation) {
            this.evaluation = evaluation;
            return this;
        }

        /** Optional: a listener (may be called several times). */
        public Builder optListener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Optional: resume from a checkpoint folder, a checkpoints folder or a previous run's output folder. */
        public Builder optResumeFrom(Path dir) {
            this.resumeFrom = dir;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming what is missing
         */
        public Trainer build() {
            if (model == null || task == null || trainData == null || config == null) {
                throw new IllegalArgumentException("Trainer needs setModel, setTask, setTrainData and setConfig; missing: "
                        + (model == null ? "model " : "") + (task == null ? "task " : "")
                        + (trainData == null ? "trainData " : "") + (config == null ? "config" : ""));
            }
            if (trainData.size() == 0) {
                throw new IllegalArgumentException("the training data is empty");
            }
            return new Trainer(this);
        }
    }
}
