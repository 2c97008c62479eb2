package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every per-step array (batch, activations, gradient wrappers, optimizer temporaries) is closed at step end: the
 * number of live arrays owned by the model's manager and by the trainer is the same after step 1 and step 40.
 */
class NativeArraysDoNotGrowWithSteps {

    @Test
    void liveArrayCountsAreFlat() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0.1f);
            List<Integer> modelArrays = new ArrayList<>();
            List<Integer> trainerArrays = new ArrayList<>();
            Trainer[] holder = new Trainer[1];
            TrainerConfig config = TrainerRuns.config().setBatchSize(8).optGradientAccumulation(2).optEpochs(10)
                    .build();
            try (Trainer trainer = Trainer.builder().setModel(model).setTask(new CrossEntropyTask(model))
                    .setTrainData(new FeatureData(64, 3, BatchOrder.BUCKETED)).setConfig(config)
                    .optEvaluation(sub -> java.util.Map.of("x", (double) sub.create(1f).getFloat()))
                    .optListener(new TrainingListener() {
                        @Override
                        public void onStep(StepRecord record) {
                            modelArrays.add(m.getManagedArrays().size());
                            trainerArrays.add(holder[0].liveArrays());
                        }
                    }).build()) {
                holder[0] = trainer;
                trainer.fit();
            }
            assertEquals(40, modelArrays.size());
            assertEquals(4, (int) modelArrays.get(0)); // the four parameters, nothing else
            assertEquals(8, (int) trainerArrays.get(0)); // AdamW's two moments per parameter
            for (int i = 0; i < 40; i++) {
                assertEquals(modelArrays.get(0), modelArrays.get(i), "model manager at step " + (i + 1));
                assertEquals(trainerArrays.get(0), trainerArrays.get(i), "trainer manager at step " + (i + 1));
            }
        }
    }
}
