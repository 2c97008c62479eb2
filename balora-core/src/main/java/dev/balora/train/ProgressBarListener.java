package dev.balora.train;

import ai.djl.training.util.ProgressBar;

/** DJL's console progress bar over the run's steps (it honours {@code DJL_DISABLE_PROGRESS_BAR}). */
final class ProgressBarListener implements TrainingListener {
    private ProgressBar bar;

    @Override
    public void onTrainingStart(TrainingRun run) {
        bar = new ProgressBar("Training", run.totalSteps());
        bar.update(run.startStep());
    }

    @Override
    public void onStep(StepRecord rec) {
        bar.update(rec.step(), String.format("loss %.4f lr %.2e", rec.loss(), rec.lr()));
    }

    @Override
    public void onTrainingStop(Throwable failure) {
        if (bar != null) {
            bar.end();
            bar = null;
        }
    }
}
