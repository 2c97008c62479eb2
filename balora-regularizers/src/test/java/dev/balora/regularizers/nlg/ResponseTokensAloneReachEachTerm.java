package dev.balora.regularizers.nlg;

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
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Token by token, on a collated prompt/response batch with padding: which logit positions each NLG term of the ICLR
 * preset (KL consistency, top-K entropy, singular-value ratio) and the task loss receive gradient from, under both
 * alignments. SHIFTED is exactly the task loss's positions; UNSHIFTED (the ICLR code) is one position later.
 */
class ResponseTokensAloneReachEachTerm {
    static final int B = 2;
    static final int T = 6;
    static final int V = 32;

    // row 0: 1 5 6 | 3 4 EOS       labels: - - - 3 4 2
    // row 1: 1 4 | 6 EOS pad pad   labels: - - 6 2 - -
    static final boolean[][] SHIFTED = {
        {false, false, true, true, true, false},
        {false, true, true, false, false, false},
    };
    static final boolean[][] UNSHIFTED = {
        {false, false, false, true, true, true},
        {false, false, true, true, false, false},
    };

    @Test
    void eachTermUnderEachAlignment() {
        CausalLmEncoder enc = CausalLmEncoder.builder().optEosTokenId(2).optVocabSize(V).build();
        List<PromptResponse> pairs = List.of(PromptResponse.ids(new long[] {1, 5, 6}, new long[] {3, 4}, "x:1"),
                PromptResponse.ids(new long[] {1, 4}, new long[] {6}, "x:2"));
        CausalLmDataset ds = new CausalLmDataset(enc.encode(pairs).examples(), 0, BatchOrder.SEQUENTIAL, 1);
        Random r = new Random(11);
        float[] z = new float[B * T * V];
        float[] zRef = new float[B * T * V];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian() * 2;
            zRef[i] = (float) r.nextGaussian() * 2;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Batch batch = ds.load(new int[] {0, 1}, m);
            check("task loss", SHIFTED, z, m, logits -> ShiftedCrossEntropy.mean(logits, batch.labels()));
            for (MaskAlignment a : MaskAlignment.values()) {
                WeightedObjective objective = BaLoraPresets.nlgIclr().optMaskAlignment(a).build();
                assertEquals(3, objective.entries().size());
                for (WeightedObjective.Entry e : objective.entries()) {
                    check(e.regularizer().name() + " " + a, a == MaskAlignment.SHIFTED ? SHIFTED : UNSHIFTED, z, m,
                            logits -> e.regularizer().compute(RegularizerInput.builder().setLogits(logits)
                                    .optReferenceLogits(m.create(zRef, new Shape(B, T, V)))
                                    .optLabels(batch.labels()).build()));
                }
            }
        }
    }

    private static void check(String what, boolean[][] expected, float[] z, NDManager m,
            java.util.function.Function<NDArray, NDArray> term) {
        try (NDManager s = m.newSubManager()) {
            NDArray logits = s.create(z, new Shape(B, T, V));
            logits.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(term.apply(logits));
            }
            float[] g = logits.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T; t++) {
                    double norm = 0;
                    for (int k = 0; k < V; k++) {
                        norm += Math.abs(g[(b * T + t) * V + k]);
                    }
                    assertEquals(expected[b][t], norm > 1e-9, what + ": gradient at row " + b + " position " + t
                            + " is " + norm);
                }
            }
        }
    }
}
