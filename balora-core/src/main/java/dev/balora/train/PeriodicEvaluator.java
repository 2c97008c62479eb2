package dev.balora.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link Evaluation} every N steps, at each epoch's end (when configured) and after the last step, and
 * hands the {@link EvalRecord} to every listener and to {@link TrainingResult#lastEvaluation()}.
 */
final class PeriodicEvaluator implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicEvaluator.class);

    private final Evaluation evaluation;

    PeriodicEvaluator(Evaluation evaluation) {
        this.evaluation = evaluation;
    }

    @Override
    public void onStepEnd(TrainingRun run) {
        TrainerConfig c = run.config();
        if (run.due(c.evalEvery(), c.evalAtEpochEnd(), true)) {
            int step = run.step();
            long t0 = System.nanoTime();
            Map<String, Double> metrics;
            try (NDScope scope = new NDScope(); NDManager sub = run.newSubManager()) {
                scope.suppressNotUsedWarning();
                metrics = new LinkedHashMap<>(evaluation.evaluate(sub));
            }
            EvalRecord rec = new EvalRecord(step, run.epoch(), run.epochEnded(), metrics,
                    (System.nanoTime() - t0) / 1e9);
            LOG.info("evaluation at step {} (epoch {}): {}", step, run.epoch(), metrics);
            run.publishEvaluation(rec);
        }
    }
}
