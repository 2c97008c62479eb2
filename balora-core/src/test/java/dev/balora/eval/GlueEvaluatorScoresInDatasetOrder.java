package dev.balora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import dev.balora.data.Collator;
import dev.balora.data.EncodedDataset;
import dev.balora.data.EncodedExample;
import dev.balora.data.LabelType;
import dev.balora.data.glue.GlueTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlueEvaluatorScoresInDatasetOrder {

    @Test
    void predictionsFollowTheirExamplesThroughLengthSorting() {
        Random r = new Random(1);
        List<EncodedExample> examples = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            int len = 2 + r.nextInt(30);
            long[] ids = new long[len];
            ids[0] = i; // the example's index rides in its first token
            examples.add(new EncodedExample(ids, new long[len], r.nextInt(2)));
        }
        EncodedDataset data = new EncodedDataset(examples, new Collator(0, 1, LabelType.CLASSIFICATION),
                BatchOrder.SORTED, 1);
        // Predict the true label for even dataset indices and the wrong one for odd: accuracy 51/101, which
        // only comes out if predictions are put back in dataset order after the length sort.
        Predictor predictor = batch -> {
            long[] first = batch.inputIds().get(":, 0").toLongArray();
            long[] labels = batch.labels().toLongArray();
            float[] logits = new float[first.length * 2];
            for (int i = 0; i < first.length; i++) {
                int predicted = (int) (first[i] % 2 == 0 ? labels[i] : 1 - labels[i]);
                logits[i * 2 + predicted] = 1f;
            }
            return batch.inputIds().getManager().create(logits, new ai.djl.ndarray.types.Shape(first.length, 2));
        };
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Double> scores = new GlueEvaluator(GlueTask.SST2, data, 16, predictor).evaluate(m);
            assertEquals(51.0 / 101, scores.get("accuracy"), 1e-12);
            assertEquals(0, m.getManagedArrays().size(), "per-batch arrays are closed");
        }
    }
}
