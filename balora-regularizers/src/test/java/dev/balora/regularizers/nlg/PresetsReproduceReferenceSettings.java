package dev.balora.regularizers.nlg;

import static dev.balora.regularizers.nlg.NlgFixture.SHIFTED;
import static dev.balora.regularizers.nlg.NlgFixture.T;
import static dev.balora.regularizers.nlg.NlgFixture.UNSHIFTED;
import static dev.balora.regularizers.nlg.NlgFixture.V;
import static dev.balora.regularizers.nlg.NlgFixture.Z;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.ObjectiveTerms;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightSchedule;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.regularizers.Numeric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The named presets evaluate to the reference formulas with the reference code's weights and schedules (checked
 * against the loop references on the [2, 6, 7] fixture), and every setting can be overridden.
 */
class PresetsReproduceReferenceSettings {

    private static Map<String, Double> evaluate(NDManager m, WeightedObjective objective, long step, long total) {
        RegularizerInput in = RegularizerInput.builder().setLogits(m.create(Z, NlgFixture.SHAPE))
                .optReferenceLogits(m.create(NlgFixture.REF, NlgFixture.SHAPE))
                .optLabels(m.create(NlgFixture.LABELS, new Shape(NlgFixture.B, T))).optStep(step, total).build();
        ObjectiveTerms terms = objective.evaluate(m.create(0.0), in);
        return terms.asMap();
    }

    private static void near(double got, double expected, String what) {
        assertTrue(Numeric.relErr(got, expected) <= 1e-5, what + ": " + got + " vs " + expected);
    }

    @Test
    void iclrPaperNlgSetting() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Step 50 of 100: lambda1 = 0.025 * (0.1 + 0.9 * 0.5) ; two-phase is on (past 25 %).
            Map<String, Double> log = evaluate(m, BaLoraPresets.nlgIclr().build(), 50, 100);
            assertEquals(0.025 * 0.55, log.get("consistency.lambda"), 1e-15);
            assertEquals(0.005, log.get("diversity.lambda"), 0);
            assertEquals(0.005, log.get("svd.lambda"), 0);
            near(log.get("consistency"), NlgReference.kl(Z, NlgFixture.REF, T, V, SHIFTED, 2.0, SHIFTED.length), "KL");
            near(log.get("diversity"), NlgReference.negEntropy(Z, T, V, SHIFTED, 20), "entropy");
            near(log.get("svd"), NlgReference.svdRatio(Z, T, V, SHIFTED, 10, true), "svd");
            // Step 10 of 100: diversity and svd are off and not computed.
            Map<String, Double> early = evaluate(m, BaLoraPresets.nlgIclr().build(), 10, 100);
            assertEquals(0.0, early.get("svd.lambda"), 0);
            assertTrue(!early.containsKey("svd") && !early.containsKey("diversity"));
            // The reference-faithful alignment as an override.
            Map<String, Double> faithful = evaluate(m,
                    BaLoraPresets.nlgIclr().optMaskAlignment(MaskAlignment.UNSHIFTED).build(), 50, 100);
            near(faithful.get("consistency"),
                    NlgReference.kl(Z, NlgFixture.REF, T, V, UNSHIFTED, 2.0, UNSHIFTED.length), "unshifted KL");
            near(faithful.get("svd"), NlgReference.svdRatio(Z, T, V, UNSHIFTED, 10, true), "unshifted svd");
        }
    }

    @Test
    void december2024Variant() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[][] all = NlgFixture.allPositions();
            Map<String, Double> log = evaluate(m, BaLoraPresets.nlgDec2024().build(), 3, 10);
            assertEquals(1e-4, log.get("consistency.lambda"), 0);
            assertEquals(3e-4, log.get("diversity.lambda"), 0);
            assertEquals(1e-4, log.get("svd.lambda"), 0);
            near(log.get("consistency"), NlgReference.kl(Z, NlgFixture.REF, T, V, all, 1.0, NlgFixture.B), "KL");
            near(log.get("diversity"), NlgReference.negEntropy(Z, T, V, all, 0), "entropy");
            near(log.get("svd"), NlgReference.svdRatio(Z, T, V, all, 3, false), "svd");
        }
    }

    @Test
    void overridesAndNluPresets() {
        WeightedObjective noSvd = BaLoraPresets.nlgIclr().optSvd(0, WeightSchedule.constant())
                .optConsistency(0.5, WeightSchedule.linearWarmup(0.1)).build();
        assertEquals(List.of("consistency", "diversity"),
                noSvd.entries().stream().map(e -> e.regularizer().name()).toList());
        assertEquals(0.25, noSvd.entries().get(0).weightAt(5, 100), 1e-15);

        WeightedObjective nlu = BaLoraPresets.nluCypJluAi().build();
        assertEquals(List.of(1e-4, 3e-4, 1e-4), nlu.entries().stream().map(WeightedObjective.Entry::baseWeight).toList());
        WeightedObjective early = BaLoraPresets.nluEarlyScript().build();
        assertEquals(List.of(0.1, 0.01, 0.01), early.entries().stream().map(WeightedObjective.Entry::baseWeight).toList());
        try (NDManager m = NDManager.newBaseManager()) {
            // k of the NLU preset: 3 (cyp-jlu-ai) and 5 (early script), seen through the value on a [8, 6] batch.
            double[] z = Numeric.gaussian(51, 48, 2);
            double[] s = Numeric.singularValues(z, 8, 6);
            double sum = 0;
            for (double x : s) {
                sum += x;
            }
            RegularizerInput in = RegularizerInput.builder().setLogits(m.create(z, new Shape(8, 6)))
                    .optReferenceLogits(m.create(z, new Shape(8, 6))).build();
            double k3 = nlu.entries().get(2).regularizer().compute(in).getDouble();
            double k5 = early.entries().get(2).regularizer().compute(in).getDouble();
            near(k3, -(s[0] + s[1] + s[2]) / sum, "NLU k = 3");
            near(k5, -(s[0] + s[1] + s[2] + s[3] + s[4]) / sum, "NLU k = 5");
            double k2 = BaLoraPresets.nluCypJluAi().optSvdTopK(2).build().entries().get(2).regularizer()
                    .compute(in).getDouble();
            near(k2, -(s[0] + s[1]) / sum, "NLU k overridden to 2");
        }
    }
}
