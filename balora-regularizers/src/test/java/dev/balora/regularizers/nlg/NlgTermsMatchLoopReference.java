package dev.balora.regularizers.nlg;

import static dev.balora.regularizers.nlg.NlgFixture.SHIFTED;
import static dev.balora.regularizers.nlg.NlgFixture.T;
import static dev.balora.regularizers.nlg.NlgFixture.V;
import static dev.balora.regularizers.nlg.NlgFixture.Z;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.regularizers.Numeric;
import dev.balora.regularizers.spectral.SingularValueRatio;
import dev.balora.regularizers.spectral.SpectralDenominator;
import dev.balora.regularizers.spectral.SpectralMethod;
import org.junit.jupiter.api.Test;

/** The NLG terms against double loops and EJML singular values on random FLOAT64 logits (rel. 1e-5). */
class NlgTermsMatchLoopReference {

    private static double eval(NDManager m, Regularizer r) {
        return r.compute(NlgFixture.input(m)).getDouble();
    }

    private static void near(double got, double expected, String what) {
        assertTrue(Numeric.relErr(got, expected) <= 1e-5, what + ": " + got + " vs " + expected);
    }

    @Test
    void klConsistencyAtTemperatureAndBothReductions() {
        try (NDManager m = NDManager.newBaseManager()) {
            near(eval(m, KlConsistency.builder().optTemperature(2.0).build()),
                    NlgReference.kl(Z, NlgFixture.REF, T, V, SHIFTED, 2.0, SHIFTED.length), "ICLR KL, T=2");
            // December-2024: no temperature, all positions, divided by B.
            near(eval(m, KlConsistency.builder().optTemperature(1.0).optSelection(TokenSelection.all())
                            .optReduction(KlConsistency.Reduction.PER_SEQUENCE).build()),
                    NlgReference.kl(Z, NlgFixture.REF, T, V, NlgFixture.allPositions(), 1.0, NlgFixture.B),
                    "Dec-2024 KL");
        }
    }

    @Test
    void entropyTopKAndFullVocabulary() {
        try (NDManager m = NDManager.newBaseManager()) {
            near(eval(m, EntropyDiversity.builder().optTopK(3).build()),
                    NlgReference.negEntropy(Z, T, V, SHIFTED, 3), "top-3 entropy");
            near(eval(m, EntropyDiversity.builder().optTopK(0).build()),
                    NlgReference.negEntropy(Z, T, V, SHIFTED, 0), "full entropy");
            near(eval(m, EntropyDiversity.builder().optTopK(20).optSelection(TokenSelection.all()).build()),
                    NlgReference.negEntropy(Z, T, V, NlgFixture.allPositions(), 0), "K > V is the full vocabulary");
        }
    }

    @Test
    void svdRatioFrobeniusAndNuclearByEveryExactMethod() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenSelection sel = TokenSelection.masked(MaskAlignment.SHIFTED);
            for (SpectralMethod method : new SpectralMethod[] {SpectralMethod.EXACT, SpectralMethod.GRAM}) {
                for (SpectralDenominator d : SpectralDenominator.values()) {
                    SingularValueRatio ratio = SingularValueRatio.builder().setTopK(3).optDenominator(d)
                            .optMethod(method).build();
                    near(eval(m, new SpectralConcentration(ratio, sel)),
                            NlgReference.svdRatio(Z, T, V, SHIFTED, 3, d == SpectralDenominator.FROBENIUS),
                            method + " " + d);
                }
            }
            // k larger than the matrix: k' = min(k, N, V) = 7.
            SingularValueRatio big = SingularValueRatio.builder().setTopK(10)
                    .optDenominator(SpectralDenominator.FROBENIUS).build();
            near(eval(m, new SpectralConcentration(big, sel)), NlgReference.svdRatio(Z, T, V, SHIFTED, 10, true),
                    "k > min(N, V)");
        }
    }

    @Test
    void noValidTokenGivesZeroAndSingleTokenSkipsTheSvdTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            long[] none = new long[NlgFixture.B * T];
            java.util.Arrays.fill(none, -100);
            long[] one = none.clone();
            one[3] = 7; // shifted: only the logit at (0, 2) counts
            for (long[] labels : new long[][] {none, one}) {
                RegularizerInput in = RegularizerInput.builder().setLogits(m.create(Z, NlgFixture.SHAPE))
                        .optReferenceLogits(m.create(NlgFixture.REF, NlgFixture.SHAPE))
                        .optLabels(m.create(labels, new Shape(NlgFixture.B, T))).build();
                SpectralConcentration svd = new SpectralConcentration(
                        SingularValueRatio.builder().setTopK(3).build(), TokenSelection.masked(MaskAlignment.SHIFTED));
                assertEquals(0.0, svd.compute(in).getDouble(), 0.0);
                if (labels == none) {
                    assertEquals(0.0, KlConsistency.builder().build().compute(in).getDouble(), 0.0);
                    assertEquals(0.0, EntropyDiversity.builder().build().compute(in).getDouble(), 0.0);
                }
            }
        }
    }

    @Test
    void nonFiniteLogitsAndWrongRankFailClearly() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] bad = Z.clone();
            bad[17] = Double.NaN;
            bad[40] = Double.POSITIVE_INFINITY;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RegularizerInput.builder().setLogits(m.create(bad, NlgFixture.SHAPE)).optStep(5, 10).build());
            assertTrue(e.getMessage().contains("1 NaN and 1 infinite") && e.getMessage().contains("step 5"),
                    e.getMessage());
            RegularizerInput flat = RegularizerInput.builder().setLogits(m.create(Z, new Shape(12, 7))).build();
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                    () -> EntropyDiversity.builder().build().compute(flat));
            assertTrue(e2.getMessage().contains("[B, T, V]"), e2.getMessage());
        }
    }
}
