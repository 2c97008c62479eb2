package dev.balora.train;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code metrics.jsonl} (one line per step) and {@code eval.jsonl} (one per evaluation) through a
 * {@link MetricsLog}, and draws {@code loss-curve.png} from them when the run stops.
 */
final class MetricsWriter implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);

    private final Path dir;
    private final boolean lossCurve;
    private MetricsLog log;
    private TrainingRun run;

    /**
     * @param dir the run's output folder
     * @param lossCurve whether to draw {@code loss-curve.png} at the end
     */
    MetricsWriter(Path dir, boolean lossCurve) {
        this.dir = dir;
        this.lossCurve = lossCurve;
    }

    @Override
    public void onTrainingStart(TrainingRun run) {
        this.run = run;
        this.log = new MetricsLog(dir, run.startStep());
    }

    @Override
    public void onStep(StepRecord record) {
        log.step(record);
    }

    @Override
    public void onEvaluation(EvalRecord record) {
        log.eval(record);
    }

    @Override
    public void onTrainingStop(Throwable failure) {
        if (log == null) {
            return;
        }
        log.close();
        log = null;
        if (lossCurve && run.step() > 0) {
            // Drawn from the logs, so a resumed run's curve covers the steps before the resume too.
            try {
                LossCurvePlot.write(dir, dir.resolve("loss-curve.png"), "training loss");
            } catch (RuntimeException | InternalError | LinkageError e) {
                // A JDK without fonts fails inside AWT: lose the picture, not the run.
                LOG.warn("could not draw the loss curve: {}", e.toString());
            }
        }
    }
}
