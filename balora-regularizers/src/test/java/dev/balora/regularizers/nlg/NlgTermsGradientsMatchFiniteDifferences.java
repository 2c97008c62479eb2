package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDManager;
import dev.balora.objective.Regularizer;
import dev.balora.regularizers.Numeric;
import dev.balora.regularizers.spectral.SingularValueRatio;
import dev.balora.regularizers.spectral.SpectralDenominator;
import dev.balora.regularizers.spectral.SpectralMethod;
import org.junit.jupiter.api.Test;

/**
 * Autograd gradients of the NLG terms equal central finite differences: FLOAT64 logits [2, 6, 7] with prompt and
 * padding labels, h = 1e-6, every other coordinate (42 of 84), tolerance 1e-7 + 1e-5 * |g| (masked positions must get 0).
 */
class NlgTermsGradientsMatchFiniteDifferences {

    private static void check(Regularizer term) {
        try (NDManager m = NDManager.newBaseManager()) {
            Numeric.assertGradientMatchesFiniteDifferences(m, NlgFixture.Z, NlgFixture.SHAPE,
                    a -> term.compute(NlgFixture.input(m, a)), 1e-5, 2, term.name());
        }
    }

    private static SpectralConcentration svd(SpectralDenominator d, SpectralMethod method) {
        return new SpectralConcentration(SingularValueRatio.builder().setTopK(3).optDenominator(d).optMethod(method)
                .optRandomized(4, 2, 7).build(), TokenSelection.masked(MaskAlignment.SHIFTED));
    }

    @Test
    void klConsistencyAtTemperature2() {
        check(KlConsistency.builder().optTemperature(2.0).build());
    }

    @Test
    void klConsistencyUnshiftedPerSequence() {
        check(KlConsistency.builder().optTemperature(1.0).optReduction(KlConsistency.Reduction.PER_SEQUENCE)
                .optSelection(TokenSelection.masked(MaskAlignment.UNSHIFTED)).build());
    }

    @Test
    void entropyTopK() {
        check(EntropyDiversity.builder().optTopK(3).build());
    }

    @Test
    void entropyFullVocabulary() {
        check(EntropyDiversity.builder().optTopK(0).build());
    }

    @Test
    void svdFrobeniusExact() {
        check(svd(SpectralDenominator.FROBENIUS, SpectralMethod.EXACT));
    }

    @Test
    void svdNuclearGram() {
        check(svd(SpectralDenominator.NUCLEAR, SpectralMethod.GRAM));
    }

    @Test
    void svdFrobeniusRandomized() {
        // 3 + 4 columns on an 8 x 7 matrix span the whole row space: the randomized code path (in FLOAT64) with an
        // exact range, so the vectors are exact singular vectors and finite differences apply. The approximation
        // itself is checked against EJML in RandomizedRatioMatchesExactSvd.
        check(svd(SpectralDenominator.FROBENIUS, SpectralMethod.RANDOMIZED));
    }
}
