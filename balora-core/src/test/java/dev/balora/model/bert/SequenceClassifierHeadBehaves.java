package dev.balora.model.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import dev.balora.nn.Param;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The classification head follows Hugging Face's layout and arithmetic: a new head (and a missing pooler) is
 * initialised from the seed, logits are {@code classifier(tanh(pooler(h[:,0])))} recomputed by hand here, a bare
 * encoder's default head reads the mean token state without a pooler, and the losses equal hand-computed values.
 */
class SequenceClassifierHeadBehaves {
    private static final long[] IDS = {2, 7, 11, 3, 0, 0, 2, 5, 9, 21, 13, 3};
    private static final long[] MASK = {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1};

    @Test
    void newHeadFromBareEncoderIsSeededAndComputesLikeHuggingFace() {
        BertConfig config = BertConfig.parse("tiny", TinyBert.config("bert", 3));
        InMemoryTensors bare = TinyBert.weights(config, "", 1);
        try (NDManager m1 = NDManager.newBaseManager(); NDManager m2 = NDManager.newBaseManager();
                NDManager m3 = NDManager.newBaseManager()) {
            BertForSequenceClassification a = BertForSequenceClassification.load(config, bare, m1, 7,
                    ClassifierPooling.POOLER);
            BertForSequenceClassification b = BertForSequenceClassification.load(config, bare, m2, 7,
                    ClassifierPooling.POOLER);
            BertForSequenceClassification c = BertForSequenceClassification.load(config, bare, m3, 8,
                    ClassifierPooling.POOLER);
            assertEquals(Set.of("classifier", "bert.pooler.dense"), a.outputHeadPaths());
            Map<String, Param> params = Layers.parameters(a);
            assertTrue(params.containsKey("bert.encoder.layer.1.attention.self.query.weight"));
            assertTrue(params.containsKey("bert.embeddings.LayerNorm.bias"));
            assertTrue(Layers.linears(a).containsKey("bert.encoder.layer.0.output.dense"));
            assertArrayEquals(new long[] {3, 8}, params.get("classifier.weight").shape().getShape());
            float[] wa = params.get("classifier.weight").array().toFloatArray();
            assertArrayEquals(wa, Layers.parameters(b).get("classifier.weight").array().toFloatArray(), 0f);
            assertFalse(java.util.Arrays.equals(wa, Layers.parameters(c).get("classifier.weight").array()
                    .toFloatArray()));
            double sd = Math.sqrt(java.util.Arrays.stream(toDouble(wa)).map(x -> x * x).average().orElseThrow());
            assertTrue(sd > 0.01 && sd < 0.04, "std " + sd);

            NDArray ids = m1.create(IDS, new Shape(2, 6));
            NDArray mask = m1.create(MASK, new Shape(2, 6));
            float[] logits = a.logits(ids, mask, null, ForwardContext.INFERENCE).toFloatArray();
            float[] hidden = a.encoder().hiddenStates(ids, mask, null, ForwardContext.INFERENCE).toFloatArray();
            float[] pw = params.get("bert.pooler.dense.weight").array().toFloatArray();
            float[] pb = params.get("bert.pooler.dense.bias").array().toFloatArray();
            float[] cb = params.get("classifier.bias").array().toFloatArray();
            for (int row = 0; row < 2; row++) {
                float[] pooled = new float[8];
                for (int o = 0; o < 8; o++) {
                    double s = pb[o];
                    for (int i = 0; i < 8; i++) {
                        s += pw[o * 8 + i] * hidden[row * 6 * 8 + i]; // token 0 of the row
                    }
                    pooled[o] = (float) Math.tanh(s);
                }
                for (int k = 0; k < 3; k++) {
                    double s = cb[k];
                    for (int i = 0; i < 8; i++) {
                        s += wa[k * 8 + i] * pooled[i];
                    }
                    assertEquals(s, logits[row * 3 + k], 1e-5);
                }
            }
            // Dropout only in training passes.
            assertArrayEquals(logits, a.logits(ids, mask, null, ForwardContext.INFERENCE).toFloatArray(), 0f);
        }
    }

    @Test
    void bareEncoderDefaultHeadReadsTheMeanOfRealTokensWithoutAPooler() {
        BertConfig config = BertConfig.parse("tiny", TinyBert.config("bert", 3));
        InMemoryTensors bare = TinyBert.weights(config, "", 1);
        try (NDManager m = NDManager.newBaseManager()) {
            BertForSequenceClassification model = BertForSequenceClassification.load(config, bare, m, 7);
            assertEquals(ClassifierPooling.MEAN, model.pooling());
            assertFalse(model.encoder().hasPooler());
            assertEquals(Set.of("classifier"), model.outputHeadPaths());
            assertFalse(Layers.linears(model).containsKey("bert.pooler.dense"));
            Map<String, Param> params = Layers.parameters(model);
            float[] w = params.get("classifier.weight").array().toFloatArray();
            float[] bias = params.get("classifier.bias").array().toFloatArray();
            NDArray ids = m.create(IDS, new Shape(2, 6));
            NDArray mask = m.create(MASK, new Shape(2, 6));
            float[] logits = model.logits(ids, mask, null, ForwardContext.INFERENCE).toFloatArray();
            float[] hidden = model.encoder().hiddenStates(ids, mask, null, ForwardContext.INFERENCE).toFloatArray();
            for (int row = 0; row < 2; row++) {
                double[] mean = new double[8];
                int count = 0;
                for (int t = 0; t < 6; t++) {
                    if (MASK[row * 6 + t] == 1) {
                        count++;
                        for (int i = 0; i < 8; i++) {
                            mean[i] += hidden[(row * 6 + t) * 8 + i];
                        }
                    }
                }
                for (int k = 0; k < 3; k++) {
                    double s = bias[k];
                    for (int i = 0; i < 8; i++) {
                        s += w[k * 8 + i] * mean[i] / count;
                    }
                    assertEquals(s, logits[row * 3 + k], 1e-5);
                }
            }
            BertForSequenceClassification cls = BertForSequenceClassification.load(config, bare, m, 7,
                    ClassifierPooling.CLS);
            float[] clsLogits = cls.logits(ids, mask, null, ForwardContext.INFERENCE).toFloatArray();
            for (int k = 0; k < 3; k++) {
                double s = bias[k];
                for (int i = 0; i < 8; i++) {
                    s += w[k * 8 + i] * hidden[6 * 8 + i]; // row 1, token 0
                }
                assertEquals(s, clsLogits[3 + k], 1e-5);
            }
        }
    }

    @Test
    void meanPoolingLeavesOutACheckpointsPoolerSoNoAdapterGoesUntrained() {
        BertConfig config = BertConfig.parse("tiny", TinyBert.config("bert", 2));
        InMemoryTensors task = TinyBert.weights(config, "bert.", 3);
        task.put("bert.pooler.dense.weight", new long[] {8, 8}, new float[64]);
        task.put("bert.pooler.dense.bias", new long[] {8}, new float[8]);
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(ClassifierPooling.POOLER, BertForSequenceClassification.load(config, task, m, 1).pooling());
            BertForSequenceClassification mean = BertForSequenceClassification.load(config, task, m, 1,
                    ClassifierPooling.MEAN);
            assertFalse(mean.encoder().hasPooler());
            assertFalse(Layers.linears(mean).containsKey("bert.pooler.dense"));
        }
        assertThrows(IllegalArgumentException.class, () -> ClassifierPooling.parse("max"));
    }

    @Test
    void taskCheckpointHeadIsLoadedNotInitialised() {
        BertConfig config = BertConfig.parse("tiny", TinyBert.config("bert", 2));
        InMemoryTensors task = TinyBert.weights(config, "bert.", 3);
        task.put("bert.pooler.dense.weight", new long[] {8, 8}, new float[64]);
        task.put("bert.pooler.dense.bias", new long[] {8}, new float[8]);
        task.put("classifier.weight", new long[] {2, 8}, new float[16]);
        task.put("classifier.bias", new long[] {2}, new float[] {0.25f, -0.5f});
        try (NDManager m = NDManager.newBaseManager()) {
            BertForSequenceClassification model = BertForSequenceClassification.load(config, task, m, 1);
            assertEquals(Set.of("classifier"), model.outputHeadPaths());
            NDArray ids = m.create(IDS, new Shape(2, 6));
            // Zero weights: logits are the bias whatever the input.
            assertArrayEquals(new float[] {0.25f, -0.5f, 0.25f, -0.5f},
                    model.logits(ids, null, null, ForwardContext.INFERENCE).toFloatArray(), 0f);
        }
    }

    @Test
    void lossesEqualHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            JsonObject regressionConfig = TinyBert.config("bert", 1);
            BertConfig rc = BertConfig.parse("tiny", regressionConfig);
            assertEquals(ProblemType.REGRESSION, rc.problemType());
            BertForSequenceClassification reg = BertForSequenceClassification.load(rc,
                    TinyBert.weights(rc, "", 1), m, 1);
            // ((1 - 0.5)^2 + (2 - 4)^2) / 2 = 2.125
            assertEquals(2.125f, reg.loss(m.create(new float[] {1, 2}, new Shape(2, 1)),
                    m.create(new float[] {0.5f, 4f})).getFloat(), 1e-6f);

            BertConfig cc = BertConfig.parse("tiny", TinyBert.config("bert", 3));
            BertForSequenceClassification cls = BertForSequenceClassification.load(cc,
                    TinyBert.weights(cc, "", 1), m, 1);
            // Row 0: logits (0, ln 2, ln 3) label 2 -> -ln(3/6); row 1: logits (0,0,0) label 0 -> ln 3
            NDArray logits = m.create(new float[] {0, (float) Math.log(2), (float) Math.log(3), 0, 0, 0},
                    new Shape(2, 3));
            double expected = (Math.log(2) + Math.log(3)) / 2;
            assertEquals(expected, cls.loss(logits, m.create(new long[] {2, 0})).getFloat(), 1e-6);

            JsonObject multi = TinyBert.config("bert", 2);
            multi.addProperty("problem_type", "multi_label_classification");
            BertConfig mc = BertConfig.parse("tiny", multi);
            BertForSequenceClassification ml = BertForSequenceClassification.load(mc,
                    TinyBert.weights(mc, "", 1), m, 1);
            // BCE(x=0, y=1) = ln 2, BCE(x=ln 3, y=0) = ln(1 + 3) = ln 4
            assertEquals((Math.log(2) + Math.log(4)) / 2, ml.loss(m.create(new float[] {0, (float) Math.log(3)},
                    new Shape(1, 2)), m.create(new float[] {1, 0}, new Shape(1, 2))).getFloat(), 1e-6);
        }
    }

    @Test
    void robertaHeadAndPositionsFollowRoberta() {
        BertConfig config = BertConfig.parse("tiny", TinyBert.config("roberta", 2));
        assertEquals(1, config.padTokenId());
        assertEquals(1, config.typeVocabSize());
        try (NDManager m = NDManager.newBaseManager()) {
            BertForSequenceClassification model = BertForSequenceClassification.load(config,
                    TinyBert.weights(config, "roberta.", 2), m, 5);
            assertEquals(Set.of("classifier.dense", "classifier.out_proj"), model.outputHeadPaths());
            assertTrue(Layers.parameters(model).containsKey("roberta.encoder.layer.0.attention.self.key.bias"));
            // Right padding with pad id 1 must not change the real tokens' states (positions skip padding).
            NDArray shortIds = m.create(new long[] {0, 7, 9, 2}, new Shape(1, 4));
            NDArray padded = m.create(new long[] {0, 7, 9, 2, 1, 1}, new Shape(1, 6));
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 0, 0}, new Shape(1, 6));
            float[] a = model.encoder().hiddenStates(shortIds, null, null, ForwardContext.INFERENCE).toFloatArray();
            float[] b = model.encoder().hiddenStates(padded, mask, null, ForwardContext.INFERENCE).toFloatArray();
            assertArrayEquals(a, java.util.Arrays.copyOf(b, a.length), 1e-5f);
        }
    }

    @Test
    void missingEncoderTensorsAreAllListed() {
        BertConfig config = BertConfig.parse("tiny", TinyBert.config("bert", 2));
        InMemoryTensors full = TinyBert.weights(config, "", 1);
        InMemoryTensors partial = new InMemoryTensors("partial");
        for (String n : full.names()) {
            if (!n.contains("layer.1.attention.self") && !n.equals("embeddings.LayerNorm.bias")) {
                partial.put(n, full.info(n).shape(), full.readFloats(n));
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> BertModel.load(config, partial, m));
            assertTrue(e.getMessage().contains("7 tensor(s)"), e.getMessage());
            assertTrue(e.getMessage().contains("encoder.layer.1.attention.self.value.weight"), e.getMessage());
            assertNotEquals(-1, e.getMessage().indexOf("embeddings.LayerNorm.bias"));
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
