package dev.balora.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.util.ProgressBar;
import dev.balora.checkpoint.TensorSource;
import dev.balora.data.Batch;
import dev.balora.data.BatchSource;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.Layers;
import dev.balora.nn.Param;
import dev.balora.objective.Scalars;
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
 * <p>Each micro-batch runs in its own sub-manager (closed at its end): the task's reference pass first, with
 * gradients off and in a scope of its own that frees everything but its outputs as soon as it returns, then the trainable pass and backward inside a GradientCollector (one per JVM, so one at a time).
 * The loss of micro-batch i is weighted by its share of the step's examples, so k micro-batches accumulate the
 * gradient of the mean over all of them. The engine is re-seeded from (seed, step, micro-batch) before every
 * micro-batch, which makes dropout reproducible across a resume without saving any generator state.
 */
public final class Trainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainingTask task;
    private final BatchSource trainData;
    private final Evaluation evaluation;
    private final TrainerConfig config;
    private final List<TrainingListener> listeners;
    private final Path resumeFrom;
    private final Map<String, Param> trainable;
    private final NDManager manager;
    private final AdamW optimizer;
    private final Device device;

    private Trainer(Builder b) {
        this.task = b.task;
        this.trainData = b.trainData;
        this.evaluation = b.evaluation;
        this.config = b.config;
        this.listeners = List.copyOf(b.listeners);
        this.resumeFrom = b.resumeFrom;
        this.trainable = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : Layers.parameters(b.model).entrySet()) {
            if (e.getValue().trainable()) {
                trainable.put(e.getKey(), e.getValue());
            }
        }
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the model has no trainable parameter: attach adapters or mark "
                    + "parameters trainable (Param.setTrainable) before building the trainer");
        }
        this.device = config.device() != null ? config.device() : Engine.getInstance().defaultDevice();
        this.manager = NDManager.newBaseManager(device);
        this.optimizer = new AdamW(config.beta1(), config.beta2(), config.epsilon(), config.weightDecay(), manager);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The trainable parameters by state-dict key, as the optimizer sees them. */
    public Map<String, Param> trainableParameters() {
        return java.util.Collections.unmodifiableMap(trainable);
    }

    /** Optimizer steps in one epoch for the configured batch size and accumulation. */
    public int stepsPerEpoch() {
        int micro = (trainData.size() + config.batchSize() - 1) / config.batchSize();
        return (micro + config.gradientAccumulation() - 1) / config.gradientAccumulation();
    }

    /** Optimizer steps of the whole run. */
    public int totalSteps() {
        return config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch();
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

        TrainerState state = new TrainerState(0, 0, 0, 0, config.seed(), total, 0, 0, Double.NaN);
        Path lastCheckpoint = null;
        if (resumeFrom != null) {
            lastCheckpoint = TrainingCheckpoint.resolve(resumeFrom);
            state = restore(lastCheckpoint, total);
            LOG.info("resumed from {} at step {} (epoch {}, micro-batch {})", lastCheckpoint, state.step(),
                    state.epoch(), state.batchInEpoch());
        }
        Path out = config.outputDir();
        Path checkpointsDir = out == null ? null : out.resolve("checkpoints");
        MetricsLog log = out == null ? null : new MetricsLog(out, state.step());
        ProgressBar bar = config.progressBar() ? new ProgressBar("Training", total) : null;
        if (bar != null) {
            bar.update(state.step());
        }
        for (TrainingListener l : listeners) {
            l.onTrainingStart(total, state.step());
        }
        int step = state.step();
        int epoch = state.epoch();
        int batchInEpoch = state.batchInEpoch();
        int consecutive = state.consecutiveNonFinite();
        int skipped = state.skippedSteps();
        double lastLoss = state.lastLoss();
        Map<String, Double> lastEval = Map.of();
        int lastEvalStep = -1;
        int lastCheckpointStep = resumeFrom != null ? step : -1;
        List<int[]> plan = trainData.plan(config.batchSize(), config.seed(), epoch);
        if (evaluation != null && config.evalBeforeTraining() && step == 0) {
            lastEval = evaluate(0, 0, false, log);
        }
        try {
            while (step < total) {
                int end = Math.min(plan.size(), batchInEpoch + config.gradientAccumulation());
                StepRecord rec = runStep(plan.subList(batchInEpoch, end), step, total, epoch, schedule.at(step));
                batchInEpoch = end;
                step++;
                if (rec.skipped()) {
                    consecutive++;
                    skipped++;
                    LOG.warn("step {}: non-finite loss {} or gradient norm {}; update skipped ({} in a row)", step,
                            rec.loss(), rec.gradNorm(), consecutive);
                } else {
                    consecutive = 0;
                    lastLoss = rec.loss();
                }
                if (log != null) {
                    log.step(rec);
                }
                for (TrainingListener l : listeners) {
                    l.onStep(rec);
                }
                if (bar != null) {
                    bar.update(step, String.format("loss %.4f lr %.2e", rec.loss(), rec.lr()));
                }
                if (step % config.logEvery() == 0 || step == total) {
                    LOG.info("step {}/{} epoch {} loss {} lr {} grad-norm {} {} tokens/s", step, total, epoch,
                            fmt(rec.loss()), fmt(rec.lr()), fmt(rec.gradNorm()), Math.round(rec.tokensPerSecond()));
                }
                if (consecutive >= config.maxConsecutiveNonFinite()) {
                    throw new NonFiniteLossException(step, consecutive, lastCheckpoint);
                }
                boolean epochEnd = batchInEpoch >= plan.size();
                int doneEpoch = epoch;
                if (epochEnd) {
                    epoch++;
                    batchInEpoch = 0;
                    if (step < total) {
                        plan = trainData.plan(config.batchSize(), config.seed(), epoch);
                    }
                }
                boolean last = step == total;
                if (evaluation != null && ((config.evalEvery() > 0 && step % config.evalEvery() == 0)
                        || (epochEnd && config.evalAtEpochEnd()) || last) && lastEvalStep != step) {
                    lastEval = evaluate(step, doneEpoch, epochEnd, log);
                    lastEvalStep = step;
                }
                boolean wantCheckpoint = (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)
                        || ((epochEnd || last) && config.checkpointAtEpochEnd());
                if (checkpointsDir != null && wantCheckpoint && consecutive == 0 && lastCheckpointStep != step) {
                    TrainerState now = new TrainerState(step, optimizer.updates(), epoch, batchInEpoch, config.seed(),
                            total, consecutive, skipped, lastLoss);
                    lastCheckpoint = TrainingCheckpoint.save(checkpointsDir, trainableArrays(), optimizer, now,
                            config.keepCheckpoints());
                    lastCheckpointStep = step;
                    for (TrainingListener l : listeners) {
                        l.onCheckpoint(lastCheckpoint, step);
                    }
                }
            }
        } finally {
            if (bar != null) {
                bar.end();
            }
            if (log != null) {
                log.close();
            }
            if (log != null && config.lossCurve() && step > 0) {
                // Drawn from the logs, so a resumed run's curve covers the steps before the resume too.
                try {
                    LossCurvePlot.write(out, out.resolve("loss-curve.png"), "training loss");
                } catch (RuntimeException | InternalError | LinkageError e) {
                    // A JDK without fonts fails inside AWT: lose the picture, not the run.
                    LOG.warn("could not draw the loss curve: {}", e.toString());
                }
            }
        }
        TrainingResult result = new TrainingResult(step, optimizer.updates(), skipped, lastLoss, lastEval,
                (System.nanoTime() - started) / 1e9, lastCheckpoint);
        for (TrainingListener l : listeners) {
            l.onTrainingEnd(result);
        }
        return result;
    }

    /** Names where a non-finite gradient appears, so that a skipped step can be traced to a layer and batch. */
    private static void logNonFiniteGradients(Map<String, NDArray> grads, int step, List<int[]> group) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : grads.entrySet()) {
            NDArray g = e.getValue();
            long nan = g.isNaN().sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
            long inf = g.isInfinite().sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
            if (nan + inf > 0) {
                bad.add(e.getKey() + " (" + nan + " NaN, " + inf + " inf of " + g.size() + ")");
            }
        }
        StringBuilder rows = new StringBuilder();
        for (int[] b : group) {
            rows.append(java.util.Arrays.toString(b));
        }
        LOG.warn("step {}: non-finite gradient in {} of {} tensors: {}; training rows {}", step + 1, bad.size(),
                grads.size(), bad, rows);
    }

    private StepRecord runStep(List<int[]> group, int step, int total, int epoch, float lr) {
        long t0 = System.nanoTime();
        int examples = 0;
        for (int[] b : group) {
            examples += b.length;
        }
        long tokens = 0;
        double loss = 0;
        Map<String, Double> terms = new LinkedHashMap<>();
        Map<String, Double> lambdas = new LinkedHashMap<>();
        boolean finite = true;
        Engine engine = Engine.getInstance();
        for (int i = 0; i < group.size() && finite; i++) {
            int[] indices = group.get(i);
            long seed = microSeed(config.seed(), step, i);
            engine.setRandomSeed((int) seed);
            // The scope also closes temporaries that attach elsewhere: an op whose first operand is a parameter
            // (a weight penalty, a regularizer on a head) attaches its result to the parameter's manager.
            try (NDScope scope = new NDScope(); NDManager sub = manager.newSubManager()) {
                scope.suppressNotUsedWarning();
                Batch batch = trainData.load(indices, sub);
                tokens += batch.tokenCount();
                StepContext ctx = new StepContext(sub, step, total, epoch, i, seed, ForwardContext.TRAINING);
                NDList reference = reference(batch, ctx);
                double w = (double) batch.size() / examples;
                try (GradientCollector collector = engine.newGradientCollector()) {
                    StepLoss sl = task.loss(batch, reference, ctx);
                    double value = sl.loss().getFloat();
                    if (!Double.isFinite(value)) {
                        finite = false;
                        loss = value;
                    } else {
                        for (Map.Entry<String, Double> t : sl.terms().entrySet()) {
                            terms.merge(t.getKey(), w * t.getValue(), Double::sum);
                        }
                        lambdas.putAll(sl.weights());
                        loss += w * value;
                        collector.backward(Scalars.mul(sl.loss(), w)); // not mul(Number): see Scalars
                    }
                }
            }
        }
        double norm = Double.NaN;
        boolean clipped = false;
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Map<String, NDArray> values = new LinkedHashMap<>();
            for (Map.Entry<String, Param> e : trainable.entrySet()) {
                NDArray p = e.getValue().array();
                values.put(e.getKey(), p);
                NDArray g = p.getGradient();
                if (g != null) {
                    grads.put(e.getKey(), g);
                }
            }
            if (finite) {
                norm = GradientClipping.globalNorm(grads.values());
                finite = Double.isFinite(norm);
                if (!finite) {
                    logNonFiniteGradients(grads, step, group);
                }
            }
            if (finite) {
                if (config.maxGradNorm() > 0) {
                    clipped = GradientClipping.clip(grads.values(), norm, config.maxGradNorm()) < 1.0;
                }
                optimizer.update(values, grads, lr);
            }
            for (NDArray g : grads.values()) {
                // set(), not subi(g): x - x stays NaN when a gradient overflowed
                g.set(new NDIndex("..."), 0f);
            }
        } finally {
            // getGradient() wraps the gradient in a new handle owned by the parameter's manager, outside any
            // NDScope: without this, every step would leak one handle per parameter.
            for (NDArray g : grads.values()) {
                g.close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new StepRecord(step + 1, epoch, finite ? loss : (Double.isFinite(loss) ? Double.NaN : loss), terms,
                lambdas, lr, norm, clipped, examples, tokens, tokens / Math.max(seconds, 1e-9), seconds, !finite);
    }

    /**
     * Runs the task's reference pass in its own scope and keeps only its outputs (moved to the micro-batch's
     * manager). Without gradients nothing else of that pass is needed, and holding its activations until the end of
     * the micro-batch would stack them on top of the trainable pass's activations at the peak.
     */
    private NDList reference(Batch batch, StepContext ctx) {
        try (NDScope scope = new NDScope(); NDManager refManager = ctx.manager().newSubManager()) {
            StepContext refCtx = new StepContext(refManager, ctx.step(), ctx.totalSteps(), ctx.epoch(),
                    ctx.microBatch(), ctx.seed(), ctx.forward());
            NDList out = task.reference(batch, refCtx);
            NDScope.unregister(out);
            out.attach(ctx.manager());
            return out;
        }
    }

    private Map<String, Double> evaluate(int step, int epoch, boolean epochEnd, MetricsLog log) {
        long t0 = System.nanoTime();
        Map<String, Double> metrics;
        try (NDScope scope = new NDScope(); NDManager sub = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            metrics = new LinkedHashMap<>(evaluation.evaluate(sub));
        }
        EvalRecord rec = new EvalRecord(step, epoch, epochEnd, metrics, (System.nanoTime() - t0) / 1e9);
        LOG.info("evaluation at step {} (epoch {}): {}", step, epoch, metrics);
        if (log != null) {
            log.eval(rec);
        }
        for (TrainingListener l : listeners) {
            l.onEvaluation(rec);
        }
        return metrics;
    }

    private TrainerState restore(Path checkpoint, int total) {
        TrainerState s = TrainingCheckpoint.readState(checkpoint);
        if (s.totalSteps() != total || s.seed() != config.seed()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was made for " + s.totalSteps()
                    + " steps with seed " + s.seed() + "; this run has " + total + " steps with seed " + config.seed()
                    + ": an exact resume needs the same schedule, data and seed");
        }
        try (TensorSource params = TrainingCheckpoint.openTrainable(checkpoint);
                TensorSource moments = TrainingCheckpoint.openOptimizer(checkpoint);
                NDManager tmp = manager.newSubManager()) {
            List<String> missing = new ArrayList<>();
            for (String key : trainable.keySet()) {
                if (!params.contains(key)) {
                    missing.add(key);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " lacks trainable parameter(s) "
                        + missing + "; it holds " + params.names());
            }
            for (Map.Entry<String, Param> e : trainable.entrySet()) {
                NDArray target = e.getValue().array();
                NDArray loaded = params.load(e.getKey(), tmp, target.getShape().getShape())
                        .toDevice(target.getDevice(), false);
                // In place (gradients are off here), so layers holding this array keep it.
                target.muli(0f).addi(loaded);
            }
            optimizer.restore(moments, s.updates(), trainableArrays());
        }
        return s;
    }

    private Map<String, NDArray> trainableArrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        trainable.forEach((k, p) -> out.put(k, p.array()));
        return out;
    }

    /** The engine seed of one micro-batch, a function of (seed, step, micro-batch) only. */
    static long microSeed(long seed, int step, int micro) {
        long z = seed ^ (0x9E3779B97F4A7C15L * (step + 1L)) ^ (0xC2B2AE3D27D4EB4FL * (micro + 1L));
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return (z ^ (z >>> 33)) & 0x7fffffffL;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format("%.4g", v) : String.valueOf(v);
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
