package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import dev.balora.data.EncodedDataset;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.eval.GlueEvaluator;
import dev.balora.fixtures.SharedData;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.onnx.ImportedModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on real data: all-MiniLM-L6-v2 on an SST-2 subset, training the new head, beats the majority class. */
@Tag("slow")
class Sst2FineTuneBeatsMajorityClass {

    @TempDir
    Path tmp;

    @Test
    void headTrainingOnASubsetBeatsTheMajorityClass() throws Exception {
        Path glue = SharedData.require("data/glue");
        ImportedModel im = MiniLmClassifiers.imported();
        try (NDManager m = NDManager.newBaseManager();
                TextEncoder enc = TextEncoder.fromFile(MiniLmClassifiers.tokenizer(im, tmp), 64)) {
            BertForSequenceClassification model = MiniLmClassifiers.classifier(im, 2, m, 42);
            MiniLmClassifiers.trainHeads(model);
            EncodedDataset train = GlueDatasets.load(GlueTask.SST2, GlueTask.SST2.trainFile(glue), enc,
                    BadRowPolicy.FAIL, BatchOrder.BUCKETED, 2048);
            EncodedDataset dev = GlueDatasets.load(GlueTask.SST2, GlueTask.SST2.devFile(glue), enc,
                    BadRowPolicy.FAIL, BatchOrder.SORTED, 0);
            SequenceClassificationTask task = SequenceClassificationTask.builder().setModel(model).build();
            GlueEvaluator eval = new GlueEvaluator(GlueTask.SST2, dev, 64, task.predictor());
            TrainerConfig config = TrainerConfig.builder().setBatchSize(32).setLearningRate(1e-3f).optEpochs(1)
                    .optWarmupRatio(0.1).optOutputDir(tmp.resolve("run")).optLogEvery(10).build();
            TrainingResult result;
            try (Trainer trainer = Trainer.builder().setModel(model).setTask(task).setTrainData(train)
                    .setConfig(config).optEvaluation(eval::evaluate).build()) {
                result = trainer.fit();
            }
            Map<String, Double> scores = result.lastEvaluation();
            System.out.println("SST-2 dev after " + result.steps() + " steps in " + result.seconds() + " s: " + scores);
            // SST-2 dev majority class: 444 / 872 = 0.509.
            assertTrue(scores.get("accuracy") > 0.6, "accuracy " + scores);
        }
    }
}
