package dev.balora.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link Evaluation} before the first step (when configured), every N steps, at each epoch's end (when configured) and after the last step, and
 * hands the {@link EvalRecord} to every listener and to {@link TrainingResult#lastEvaluation()}.
 */
final class PeriodicEvaluator implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicEvaluator.class);

    private final Evaluation evaluation;

    PeriodicEvaluator(Evaluation evaluation) {
        this.evaluation = evaluation;
    }

    @Override
    public void onTrainingStart(TrainingRun run) {
        if (run.config().evalBeforeTraining() && run.step() == 0) {
            evaluate(run, 0, false);
        }
    }

    @Override
    public void onStepEnd(TrainingRun run) {
        TrainerConfig c = run.config();
        if (run.due(c.evalEvery(), c.evalAtEpochEnd(), true)) {
            evaluate(run, run.step(), run.epochEnded());
        }
    }

    private void evaluate(TrainingRun run, int step, boolean epochEnd) {
        long t0 = System.nanoTime();
        Map<String, Double> metrics;
        try (NDScope scope = new NDScope(); NDManager sub = run.newSubManager()) {
            scope.suppressNotUsedWarning();
            metrics = new LinkedHashMap<>(evaluation.evaluate(sub));
        }
        EvalRecord rec = new EvalRecord(step, run.epoch(), epochEnd, metrics, (System.nanoTime() - t0) / 1e9);
        LOG.info("evaluation at step {} (epoch {}): {}", step, run.epoch(), metrics);
        run.publishEvaluation(rec);
    }
}
