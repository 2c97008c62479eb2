package dev.balora.train;

import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test helper: builds a tiny model and trainer, runs it, and collects per-step records. */
final class TrainerRuns {

    private TrainerRuns() {}

    static TrainerConfig.Builder config() {
        return TrainerConfig.builder().setBatchSize(16).setLearningRate(0.05f).optProgressBar(false)
                .optLossCurve(false).optLogEvery(1000);
    }

    /** A finished (or failed) run. */
    static final class Run {
        final List<StepRecord> steps = new ArrayList<>();
        TrainingResult result;
        float[][] params;
    }

    static Run run(NDManager m, TrainerConfig config, BatchOrder order, float dropout, Path resume,
            Consumer<StepRecord> onStep) {
        TinyClassifier model = new TinyClassifier(m, 7, dropout);
        return run(model, new CrossEntropyTask(model), new FeatureData(64, 3, order), config, resume, onStep);
    }

    static Run runWith(dev.balora.nn.Layer model, TrainingTask task, dev.balora.data.BatchSource data,
            TrainerConfig config) {
        Run run = new Run();
        try (Trainer trainer = Trainer.builder().setModel(model).setTask(task).setTrainData(data).setConfig(config)
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepRecord record) {
                        run.steps.add(record);
                    }
                }).build()) {
            run.result = trainer.fit();
        }
        return run;
    }

    static Run run(TinyClassifier model, TrainingTask task, FeatureData data, TrainerConfig config, Path resume,
            Consumer<StepRecord> onStep) {
        Run run = new Run();
        Trainer.Builder b = Trainer.builder().setModel(model).setTask(task).setTrainData(data).setConfig(config)
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepRecord record) {
                        run.steps.add(record);
                        if (onStep != null) {
                            onStep.accept(record);
                        }
                    }
                });
        if (resume != null) {
            b.optResumeFrom(resume);
        }
        try (Trainer trainer = b.build()) {
            run.result = trainer.fit();
        }
        run.params = new float[][] {model.hidden.weight().array().toFloatArray(),
                model.hidden.bias().array().toFloatArray(), model.out.weight().array().toFloatArray(),
                model.out.bias().array().toFloatArray()};
        return run;
    }
}
