package dev.balora.model.gpt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.GoldenComparison;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.model.TinyCheckpoints;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tiny GPT-2 (Conv1D weights [in, out], learned positions, pre-LN, gelu_new) and a GPT-2 sequence classifier match
 * the independent plain-torch float64 reference of src/test/python/tiny_decoders.py, padded batches included.
 */
class Gpt2MatchesTorchReference {
    static final double TOLERANCE = 2e-5;

    @Test
    void lmHeadLogitsMatchWithAndWithoutCache() {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir("gpt2"))) {
            assertInstanceOf(Gpt2LMHeadModel.class, model);
            for (Map.Entry<String, TinyCheckpoints.Case> e : TinyCheckpoints.golden("gpt2").entrySet()) {
                double full = GoldenComparison.maxDiff(model, e.getValue());
                double cached = GoldenComparison.maxDiffCached(model, e.getValue(), 2);
                System.out.printf("gpt2 %s: max |diff| %.3g, through the cache %.3g%n", e.getKey(), full, cached);
                assertTrue(full < TOLERANCE, e.getKey() + ": " + full);
                assertTrue(cached < TOLERANCE, e.getKey() + " cached: " + cached);
            }
            assertTrue(Layers.linears(model).containsKey("transformer.h.1.attn.c_attn"));
            assertTrue(Layers.linears(model).containsKey("transformer.h.0.mlp.c_proj"));
            assertEquals(48, Layers.linears(model).get("transformer.h.0.attn.c_attn").outFeatures());
        }
    }

    @Test
    void dropoutActsInTrainingPassesOnly() {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir("gpt2"));
                NDManager m = model.manager().newSubManager()) {
            TinyCheckpoints.Case c = TinyCheckpoints.golden("gpt2").get("single");
            ai.djl.ndarray.NDArray ids = m.create(TinyCheckpoints.flat(c.inputIds()), new Shape(1, 9));
            float[] a = model.logits(ids, null, ForwardContext.INFERENCE).toFloatArray();
            float[] b = model.logits(ids, null, ForwardContext.REFERENCE).toFloatArray();
            float[] t = model.logits(ids, null, ForwardContext.TRAINING).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0f);
            double moved = 0;
            for (int i = 0; i < a.length; i++) {
                assertTrue(Float.isFinite(t[i]));
                moved = Math.max(moved, Math.abs(a[i] - t[i]));
            }
            // GPT-2's default dropout of 0.1 on embeddings, attention and residuals must change a training pass.
            assertTrue(moved > 1e-3, "training pass equals inference: " + moved);
        }
    }

    @Test
    void classifierScoresTheLastRealTokenOfEachRow() {
        try (PretrainedModel loaded = Models.load(TinyCheckpoints.dir("gpt2-cls"))) {
            Gpt2ForSequenceClassification model = assertInstanceOf(Gpt2ForSequenceClassification.class, loaded);
            assertEquals(3, model.numLabels());
            assertEquals(java.util.Set.of("score"), model.outputHeadPaths());
            for (Map.Entry<String, TinyCheckpoints.Case> e : TinyCheckpoints.golden("gpt2-cls").entrySet()) {
                TinyCheckpoints.Case c = e.getValue();
                int b = c.inputIds().length;
                int t = c.inputIds()[0].length;
                try (NDManager m = model.manager().newSubManager()) {
                    float[] out = model.logits(m.create(TinyCheckpoints.flat(c.inputIds()), new Shape(b, t)),
                            m.create(TinyCheckpoints.flat(c.mask()), new Shape(b, t)), ForwardContext.INFERENCE)
                            .toFloatArray();
                    double worst = 0;
                    for (int i = 0; i < b; i++) {
                        for (int k = 0; k < 3; k++) {
                            worst = Math.max(worst, Math.abs(out[i * 3 + k] - c.logits()[i][0][k]));
                        }
                    }
                    System.out.printf("gpt2-cls %s: max |diff| %.3g%n", e.getKey(), worst);
                    assertTrue(worst < TOLERANCE, e.getKey() + ": " + worst);
                }
            }
        }
    }
}
