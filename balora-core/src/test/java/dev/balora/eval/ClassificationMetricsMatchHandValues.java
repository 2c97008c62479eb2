package dev.balora.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.balora.data.glue.GlueTask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsMatchHandValues {
    // TP = 3 (0, 4, 6), FP = 2 (1, 7), FN = 1 (3), TN = 2 (2, 5).
    private static final int[] PRED = {1, 1, 0, 0, 1, 0, 1, 1};
    private static final int[] GOLD = {1, 0, 0, 1, 1, 0, 1, 0};

    @Test
    void binaryConfusionMatrix() {
        assertEquals(5.0 / 8, ClassificationMetrics.accuracy(PRED, GOLD), 1e-12);
        assertEquals(6.0 / 9, ClassificationMetrics.f1(PRED, GOLD, 1), 1e-12); // 2TP / (2TP + FP + FN)
        // (TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (6 - 2) / sqrt(5 * 4 * 4 * 3)
        assertEquals(4.0 / Math.sqrt(240), ClassificationMetrics.matthews(PRED, GOLD), 1e-12);
    }

    @Test
    void degenerateCasesAreZeroNotNan() {
        int[] constant = {1, 1, 1, 1};
        int[] gold = {1, 0, 1, 0};
        assertEquals(0.0, ClassificationMetrics.matthews(constant, gold));
        assertEquals(0.0, ClassificationMetrics.f1(new int[] {0, 0}, new int[] {0, 0}, 1));
        assertEquals(1.0, ClassificationMetrics.matthews(gold, gold), 1e-12);
        assertEquals(-1.0, ClassificationMetrics.matthews(new int[] {0, 1, 0, 1}, gold), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.accuracy(new int[] {1}, gold));
    }

    @Test
    void threeClassMatthews() {
        // Confusion (rows true, cols predicted): [[2,1,0],[0,2,1],[1,0,1]], n = 8, correct c = 5.
        // t = (3, 3, 2), p = (3, 3, 2): MCC = (c n - t.p) / sqrt((n^2 - p.p)(n^2 - t.t))
        //   = (40 - 22) / sqrt((64 - 22)(64 - 22)) = 18 / 42.
        int[] gold = {0, 0, 0, 1, 1, 1, 2, 2};
        int[] pred = {0, 0, 1, 1, 1, 2, 0, 2};
        assertEquals(18.0 / 42, ClassificationMetrics.matthews(pred, gold), 1e-12);
        assertArrayEquals(new int[] {2, 0}, ClassificationMetrics.argmax(new float[] {0, 1, 3, 5, -1, 2}, 3));
    }

    @Test
    void glueTaskMetricChoice() {
        assertEquals(List.of(GlueMetric.MATTHEWS), GlueScores.metrics(GlueTask.COLA));
        assertEquals(List.of(GlueMetric.F1, GlueMetric.ACCURACY), GlueScores.metrics(GlueTask.MRPC));
        assertEquals(List.of(GlueMetric.F1, GlueMetric.ACCURACY), GlueScores.metrics(GlueTask.QQP));
        assertEquals(List.of(GlueMetric.PEARSON, GlueMetric.SPEARMAN), GlueScores.metrics(GlueTask.STSB));
        for (GlueTask t : List.of(GlueTask.SST2, GlueTask.MNLI, GlueTask.QNLI, GlueTask.RTE, GlueTask.WNLI)) {
            assertEquals(List.of(GlueMetric.ACCURACY), GlueScores.metrics(t));
        }
        Map<String, Double> mrpc = GlueScores.classification(GlueTask.MRPC, PRED, GOLD);
        assertEquals(List.of("f1", "accuracy"), List.copyOf(mrpc.keySet()));
        assertEquals(6.0 / 9, mrpc.get("f1"), 1e-12);
        assertEquals(4.0 / Math.sqrt(240),
                GlueScores.classification(GlueTask.COLA, PRED, GOLD).get("matthews_correlation"), 1e-12);
        // STS-B: y = 2x + 1 is perfectly correlated; ranks of {1, 3, 2} vs {1, 2, 3}: Spearman 1 - 6*2/(3*8) = 0.5.
        Map<String, Double> sts = GlueScores.regression(GlueTask.STSB, new float[] {1, 3, 2}, new float[] {3, 7, 5});
        assertEquals(List.of("pearson", "spearman"), List.copyOf(sts.keySet()));
        assertEquals(1.0, sts.get("pearson"), 1e-12);
        assertEquals(1.0, sts.get("spearman"), 1e-12);
        assertEquals(0.5, GlueScores.regression(GlueTask.STSB, new float[] {1, 3, 2}, new float[] {1, 2, 3})
                .get("spearman"), 1e-12);
    }
}
