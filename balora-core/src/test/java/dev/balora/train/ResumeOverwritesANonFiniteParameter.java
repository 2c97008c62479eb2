package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.balora.checkpoint.TensorSource;
import dev.balora.data.BatchOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming overwrites the trainable parameters with the checkpoint's values exactly, even where the buffer held a
 * NaN or an infinity before (multiplying by 0 and adding, as restore once did, keeps them: NaN * 0 = NaN).
 */
class ResumeOverwritesANonFiniteParameter {

    @TempDir
    Path tmp;

    @Test
    void poisonedParametersEqualTheCheckpointAfterRestore() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path out = tmp.resolve("run");
            TrainerConfig config = TrainerRuns.config().optEpochs(1).optCheckpointEvery(2).optOutputDir(out).build();
            TrainerRuns.run(m, config, BatchOrder.BUCKETED, 0f, null, null); // 4 steps, checkpoints at 2 and 4
            Path checkpoint = out.resolve("checkpoints/step-0000002");
            Map<String, float[]> saved = new LinkedHashMap<>();
            try (TensorSource t = TrainingCheckpoint.openTrainable(checkpoint)) {
                for (String name : t.names()) {
                    saved.put(name, t.readFloats(name));
                }
            }

            TinyClassifier model = new TinyClassifier(m, 99, 0f); // other values everywhere
            model.out.weight().array().set(new NDIndex("0, 0"), Float.NaN);
            model.out.weight().array().set(new NDIndex("1, 2"), Float.POSITIVE_INFINITY);
            model.hidden.bias().array().set(new NDIndex("3"), Float.NEGATIVE_INFINITY);
            Map<String, float[]> restored = new LinkedHashMap<>();
            Trainer trainer = Trainer.builder().setModel(model).setTask(new CrossEntropyTask(model))
                    .setTrainData(new FeatureData(64, 3, BatchOrder.BUCKETED)).setConfig(config)
                    .optResumeFrom(checkpoint).optListener(new TrainingListener() {
                        @Override
                        public void onTrainingStart(TrainingRun run) {
                            assertEquals(2, run.startStep());
                            restored.put("hidden.weight", model.hidden.weight().array().toFloatArray());
                            restored.put("hidden.bias", model.hidden.bias().array().toFloatArray());
                            restored.put("classifier.weight", model.out.weight().array().toFloatArray());
                            restored.put("classifier.bias", model.out.bias().array().toFloatArray());
                        }
                    }).build();
            TrainingResult result;
            try (trainer) {
                result = trainer.fit();
            }
            assertEquals(saved.keySet(), restored.keySet());
            for (Map.Entry<String, float[]> e : saved.entrySet()) {
                assertArrayEquals(e.getValue(), restored.get(e.getKey()), 0f, e.getKey() + " after restore");
            }
            assertEquals(0, result.skippedSteps());
            assertTrue(Double.isFinite(result.lastLoss()));
        }
    }
}
