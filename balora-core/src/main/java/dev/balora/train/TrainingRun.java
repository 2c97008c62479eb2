package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.nn.Param;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a running {@link Trainer#fit()} stands, as its listeners see it: steps done, epoch, non-finite streak, the
 * last evaluation and checkpoint. The trainer's internals that the checkpointer and the evaluator need (trainable
 * arrays, optimizer moments, the trainer's manager) are package-private.
 */
public final class TrainingRun {
    private final TrainerConfig config;
    private final int totalSteps;
    private final int startStep;
    private final Map<String, Param> trainable;
    private final AdamW optimizer;
    private final NDManager manager;
    private List<TrainingListener> listeners = List.of();
    private int step;
    private int epoch;
    private int nextEpoch;
    private int nextBatch;
    private boolean epochEnded;
    private int consecutiveNonFinite;
    private int skippedSteps;
    private double lastLoss;
    private Path lastCheckpoint;
    private Map<String, Double> lastEvaluation = Map.of();

    TrainingRun(TrainerConfig config, TrainerState start, Path resumedFrom, Map<String, Param> trainable,
            AdamW optimizer, NDManager manager) {
        this.config = config;
        this.totalSteps = start.totalSteps();
        this.startStep = start.step();
        this.trainable = trainable;
        this.optimizer = optimizer;
        this.manager = manager;
        this.step = start.step();
        this.epoch = start.epoch();
        this.nextEpoch = start.epoch();
        this.nextBatch = start.batchInEpoch();
        this.consecutiveNonFinite = start.consecutiveNonFinite();
        this.skippedSteps = start.skippedSteps();
        this.lastLoss = start.lastLoss();
        this.lastCheckpoint = resumedFrom;
    }

    /** The run's configuration. */
    public TrainerConfig config() {
        return config;
    }

    /** Optimizer steps of the whole run. */
    public int totalSteps() {
        return totalSteps;
    }

    /** Steps already done when this call of {@link Trainer#fit()} started (0 unless resumed). */
    public int startStep() {
        return startStep;
    }

    /** Optimizer steps done so far (applied or skipped), resumed ones included. */
    public int step() {
        return step;
    }

    /** The 0-based epoch of the last step (of the resume point before any step). */
    public int epoch() {
        return epoch;
    }

    /** Whether the last step finished its epoch. */
    public boolean epochEnded() {
        return epochEnded;
    }

    /** Whether the last step was the run's last. */
    public boolean lastStep() {
        return step == totalSteps;
    }

    /**
     * Whether periodic work is due after the last step: every {@code every} steps (0 = never), at an epoch's end
     * when {@code atEpochEnd}, and after the run's last step when {@code atLast}.
     */
    public boolean due(int every, boolean atEpochEnd, boolean atLast) {
        return (every > 0 && step % every == 0) || (atEpochEnd && epochEnded) || (atLast && lastStep());
    }

    /** Non-finite steps in a row up to the last step (0 when the last step was applied). */
    public int consecutiveNonFinite() {
        return consecutiveNonFinite;
    }

    /** Steps skipped so far for a non-finite loss or gradient. */
    public int skippedSteps() {
        return skippedSteps;
    }

    /** The loss of the last applied step (NaN before any). */
    public double lastLoss() {
        return lastLoss;
    }

    /** The last checkpoint written (or resumed from), or null. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    /** The metrics of the last evaluation (empty when none ran). */
    public Map<String, Double> lastEvaluation() {
        return lastEvaluation;
    }

    /** The index of the next micro-batch in the plan of epoch {@link #nextEpoch()}. */
    int nextBatch() {
        return nextBatch;
    }

    /** The epoch of the next micro-batch. */
    int nextEpoch() {
        return nextEpoch;
    }

    /** What a checkpoint written now must hold to continue exactly. */
    TrainerState state() {
        return new TrainerState(step, optimizer.updates(), nextEpoch, nextBatch, config.seed(), totalSteps,
                consecutiveNonFinite, skippedSteps, lastLoss);
    }

    /** The trainable parameters' current arrays by state-dict key. */
    Map<String, NDArray> trainableArrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        trainable.forEach((k, p) -> out.put(k, p.array()));
        return out;
    }

    /** The optimizer whose moments a checkpoint saves. */
    AdamW optimizer() {
        return optimizer;
    }

    /** A sub-manager of the trainer's manager (on the model's device), for temporaries; close it. */
    NDManager newSubManager() {
        return manager.newSubManager();
    }

    void setListeners(List<TrainingListener> all) {
        this.listeners = List.copyOf(all);
    }

    /** Calls every listener, in order. */
    void each(Consumer<TrainingListener> call) {
        for (TrainingListener l : listeners) {
            call.accept(l);
        }
    }

    /** Records a finished step: advances the counters and the position in the epoch's plan. */
    void advance(StepRecord rec, int consumed, int planSize) {
        step = rec.step();
        epoch = nextEpoch;
        if (rec.skipped()) {
            consecutiveNonFinite++;
            skippedSteps++;
        } else {
            consecutiveNonFinite = 0;
            lastLoss = rec.loss();
        }
        epochEnded = consumed >= planSize;
        if (epochEnded) {
            nextEpoch++;
            nextBatch = 0;
        } else {
            nextBatch = consumed;
        }
    }

    /** Keeps an evaluation as the last one and hands it to every listener. */
    void publishEvaluation(EvalRecord rec) {
        lastEvaluation = rec.metrics();
        each(l -> l.onEvaluation(rec));
    }

    /** Keeps a checkpoint as the last one and tells every listener. */
    void publishCheckpoint(Path dir, int atStep) {
        lastCheckpoint = dir;
        each(l -> l.onCheckpoint(dir, atStep));
    }
}
