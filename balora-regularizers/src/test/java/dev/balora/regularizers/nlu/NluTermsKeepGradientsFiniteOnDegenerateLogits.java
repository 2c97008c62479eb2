package dev.balora.regularizers.nlu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.Scalars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every NLU term gives a finite value and a finite gradient on finite but degenerate float32 logits [B, C]: a
 * zero row, all rows equal (rank 1, zero covariance), equal columns, all zeros, tiny and large values, one row,
 * k >= min(B, C), with a random reference and with a reference equal to the logits.
 */
class NluTermsKeepGradientsFiniteOnDegenerateLogits {

    private static Map<String, float[][]> cases() {
        Map<String, float[][]> c = new LinkedHashMap<>();
        float[][] random = new float[32][2];
        java.util.Random r = new java.util.Random(7);
        for (float[] row : random) {
            row[0] = (float) r.nextGaussian();
            row[1] = (float) r.nextGaussian();
        }
        c.put("random", random);
        float[][] zeroRow = copy(random);
        zeroRow[3] = new float[] {0f, 0f};
        c.put("one zero row", zeroRow);
        float[][] same = new float[32][];
        for (int i = 0; i < 32; i++) {
            same[i] = new float[] {0.3f, -0.2f};
        }
        c.put("all rows equal", same);
        float[][] equalCols = new float[32][];
        for (int i = 0; i < 32; i++) {
            equalCols[i] = new float[] {random[i][0], random[i][0]};
        }
        c.put("equal columns", equalCols);
        c.put("all zero", new float[32][2]);
        float[][] tiny = new float[32][];
        for (int i = 0; i < 32; i++) {
            tiny[i] = new float[] {random[i][0] * 1e-20f, random[i][1] * 1e-20f};
        }
        c.put("tiny", tiny);
        float[][] huge = new float[32][];
        for (int i = 0; i < 32; i++) {
            // Large but such that the diversity term (fourth power of the logits) still fits in float32; beyond,
            // the term itself is not representable and the objective reports it (NonFiniteValueException).
            huge[i] = new float[] {random[i][0] * 1e6f, random[i][1] * 1e6f};
        }
        c.put("large", huge);
        float[][] nearlySame = new float[32][];
        for (int i = 0; i < 32; i++) {
            nearlySame[i] = new float[] {0.3f + 1e-7f * random[i][0], -0.2f + 1e-7f * random[i][1]};
        }
        c.put("nearly equal rows", nearlySame);
        c.put("one row", new float[][] {{0.5f, -0.5f}});
        return c;
    }

    private static float[][] copy(float[][] a) {
        float[][] b = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
        }
        return b;
    }

    private static List<String> failures(Supplier<Regularizer> term) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, float[][]> e : cases().entrySet()) {
            for (String refCase : new String[] {"random", "same"}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    float[][] rows = e.getValue();
                    NDArray z = m.create(rows);
                    NDArray ref = refCase.equals("same") ? m.create(rows) : m.randomNormal(z.getShape());
                    NDArray hidden = m.create(rows);
                    NDArray refHidden = refCase.equals("same") ? m.create(rows) : m.randomNormal(z.getShape());
                    z.setRequiresGradient(true);
                    hidden.setRequiresGradient(true);
                    double value;
                    float[] gz;
                    float[] gh;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray v = term.get().compute(RegularizerInput.builder().setLogits(z)
                                .optReferenceLogits(ref).optHiddenStates(hidden, refHidden).build());
                        value = v.toType(DataType.FLOAT64, false).getDouble();
                        gc.backward(v.add(Scalars.mul(z.sum(), 0)).add(Scalars.mul(hidden.sum(), 0)));
                    }
                    gz = z.getGradient().toFloatArray();
                    gh = hidden.getGradient().toFloatArray();
                    boolean finite = Double.isFinite(value);
                    for (float g : gz) {
                        finite &= Float.isFinite(g);
                    }
                    for (float g : gh) {
                        finite &= Float.isFinite(g);
                    }
                    if (!finite) {
                        bad.add(e.getKey() + " (reference " + refCase + "): value " + value);
                    }
                }
            }
        }
        return bad;
    }

    private static void assertFinite(String name, Supplier<Regularizer> term) {
        List<String> bad = failures(term);
        assertTrue(bad.isEmpty(), name + " gives a non-finite value or gradient on: " + bad);
    }

    @Test
    void consistencyOnLogits() {
        assertFinite("consistency", NormalizedConsistency::onLogits);
    }

    @Test
    void consistencyOnHiddenStates() {
        assertFinite("hidden consistency", NormalizedConsistency::onHiddenStates);
    }

    @Test
    void covarianceDiversity() {
        assertFinite("diversity", CovarianceDiversity::new);
    }

    @Test
    void spectralTopKBelowRank() {
        assertFinite("svd k=1", () -> SpectralConcentration.topK(1));
    }

    @Test
    void spectralTopKAtOrAboveRank() {
        assertFinite("svd k=5", () -> SpectralConcentration.topK(5));
        // k >= min(B, C): -S / (S + eps) = -1 to float precision, and no gradient at all.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(cases().get("random"));
            z.setRequiresGradient(true);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = SpectralConcentration.topK(5).compute(RegularizerInput.builder().setLogits(z).build());
                value = v.getFloat();
                gc.backward(v.add(Scalars.mul(z.sum(), 0)));
            }
            org.junit.jupiter.api.Assertions.assertEquals(-1.0, value, 1e-7);
            for (float g : z.getGradient().toFloatArray()) {
                org.junit.jupiter.api.Assertions.assertEquals(0f, g);
            }
        }
    }
}
