package dev.balora.train.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.jsonl.CausalLmDataset;
import dev.balora.data.jsonl.CausalLmEncoder;
import dev.balora.data.jsonl.PromptResponse;
import dev.balora.model.ShiftedCrossEntropy;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shifted cross-entropy of a collated prompt/response batch: its value matches a host computation in double,
 * and exactly the logits at positions t whose label t+1 is a response token (EOS included) receive gradient:
 * no prompt position but the last, no padding, never the last position.
 */
class ShiftedLossCountsOnlyResponseTokens {

    @Test
    void valueAndGradientPositions() {
        CausalLmEncoder enc = CausalLmEncoder.builder().optEosTokenId(2).optVocabSize(7).build();
        // row 0: 1 5 6 | 3 4 2      row 1: 1 4 | 6 2 pad pad
        List<PromptResponse> pairs = List.of(PromptResponse.ids(new long[] {1, 5, 6}, new long[] {3, 4}, "x:1"),
                PromptResponse.ids(new long[] {1, 4}, new long[] {6}, "x:2"));
        CausalLmDataset ds = new CausalLmDataset(enc.encode(pairs).examples(), 0, BatchOrder.SEQUENTIAL, 1);
        int b = 2;
        int t = 6;
        int v = 7;
        Random r = new Random(3);
        float[] z = new float[b * t * v];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian() * 2;
        }
        boolean[][] expected = {
            {false, false, true, true, true, false}, // logits at 2, 3, 4 predict 3, 4, EOS
            {false, true, true, false, false, false}, // logits at 1, 2 predict 6, EOS; 3..5 padding
        };
        try (NDManager m = NDManager.newBaseManager()) {
            Batch batch = ds.load(new int[] {0, 1}, m);
            long[] labels = batch.labels().toLongArray();
            NDArray logits = m.create(z, new Shape(b, t, v));
            logits.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = ShiftedCrossEntropy.mean(logits, batch.labels());
                value = loss.getFloat();
                gc.backward(loss);
            }
            float[] g = logits.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
            // Independent: mean over counted tokens of logsumexp(z) - z[target], in double.
            double sum = 0;
            int count = 0;
            for (int row = 0; row < b; row++) {
                for (int pos = 0; pos < t; pos++) {
                    double norm = 0;
                    for (int k = 0; k < v; k++) {
                        norm += Math.abs(g[(row * t + pos) * v + k]);
                    }
                    assertEquals(expected[row][pos], norm > 0, "gradient at row " + row + " position " + pos);
                    if (pos + 1 < t && labels[row * t + pos + 1] != ShiftedCrossEntropy.IGNORE_INDEX) {
                        int target = (int) labels[row * t + pos + 1];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int k = 0; k < v; k++) {
                            max = Math.max(max, z[(row * t + pos) * v + k]);
                        }
                        double lse = 0;
                        for (int k = 0; k < v; k++) {
                            lse += Math.exp(z[(row * t + pos) * v + k] - max);
                        }
                        sum += max + Math.log(lse) - z[(row * t + pos) * v + target];
                        count++;
                    }
                }
            }
            assertEquals(5, count);
            assertEquals(sum / count, value, 1e-5);
            assertArrayEquals(new long[] {5}, new long[] {ShiftedCrossEntropy.sum(logits, batch.labels()).tokens()});
        }
    }
}
