package dev.balora.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a line every {@link TrainerConfig#logEvery()} steps and after the last, and a warning per skipped step. */
final class StepLogger implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private TrainingRun run;

    @Override
    public void onTrainingStart(TrainingRun run) {
        this.run = run;
    }

    @Override
    public void onStep(StepRecord rec) {
        int step = rec.step();
        if (rec.skipped()) {
            LOG.warn("step {}: non-finite loss {} or gradient norm {}; update skipped ({} in a row)", step,
                    rec.loss(), rec.gradNorm(), run.consecutiveNonFinite());
        }
        if (step % run.config().logEvery() == 0 || step == run.totalSteps()) {
            LOG.info("step {}/{} epoch {} loss {} lr {} grad-norm {} {} tokens/s", step, run.totalSteps(),
                    rec.epoch(), fmt(rec.loss()), fmt(rec.lr()), fmt(rec.gradNorm()),
                    Math.round(rec.tokensPerSecond()));
        }
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format("%.4g", v) : String.valueOf(v);
    }
}
