package dev.balora.train;

import java.nio.file.Path;

/**
 * Writes a {@link TrainingCheckpoint} into {@code checkpoints/} every N steps and, when configured, at each epoch's
 * end and after the last step, keeping the last K; only after a finite step, so that the latest checkpoint is
 * always a good one to resume from.
 */
final class Checkpointer implements TrainingListener {
    private final Path dir;

    /** @param dir the folder holding the checkpoints */
    Checkpointer(Path dir) {
        this.dir = dir;
    }

    @Override
    public void onStepEnd(TrainingRun run) {
        TrainerConfig c = run.config();
        if (run.due(c.checkpointEvery(), c.checkpointAtEpochEnd(), c.checkpointAtEpochEnd())
                && run.consecutiveNonFinite() == 0) {
            Path saved = TrainingCheckpoint.save(dir, run.trainableArrays(), run.optimizer(), run.state(),
                    c.keepCheckpoints());
            run.publishCheckpoint(saved, run.step());
        }
    }
}
