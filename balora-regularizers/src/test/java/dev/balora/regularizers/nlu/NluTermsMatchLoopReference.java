package dev.balora.regularizers.nlu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RegularizerInput;
import dev.balora.regularizers.Numeric;
import org.junit.jupiter.api.Test;

/** The NLU terms against explicit double loops and EJML singular values on random FLOAT64 logits (rel. 1e-5). */
class NluTermsMatchLoopReference {
    private static final int B = 7;
    private static final int C = 5;

    private static RegularizerInput input(NDManager m, double[] z, double[] ref, int b, int c) {
        return RegularizerInput.builder().setLogits(m.create(z, new Shape(b, c)))
                .optReferenceLogits(m.create(ref, new Shape(b, c))).build();
    }

    @Test
    void consistencyIsMseOfRowNormalisedLogits() {
        double[] z = Numeric.gaussian(1, B * C, 3);
        double[] r = Numeric.gaussian(2, B * C, 3);
        double expected = 0;
        for (int b = 0; b < B; b++) {
            double nz = 0;
            double nr = 0;
            for (int c = 0; c < C; c++) {
                nz += z[b * C + c] * z[b * C + c];
                nr += r[b * C + c] * r[b * C + c];
            }
            nz = Math.max(Math.sqrt(nz), 1e-12);
            nr = Math.max(Math.sqrt(nr), 1e-12);
            for (int c = 0; c < C; c++) {
                double d = z[b * C + c] / nz - r[b * C + c] / nr;
                expected += d * d;
            }
        }
        expected /= B * C;
        try (NDManager m = NDManager.newBaseManager()) {
            double got = NormalizedConsistency.onLogits().compute(input(m, z, r, B, C)).getDouble();
            assertTrue(Numeric.relErr(got, expected) <= 1e-5, got + " vs " + expected);
            // The hidden-state variant applies the same formula to the pooled states.
            RegularizerInput hidden = RegularizerInput.builder().setLogits(m.zeros(new Shape(B, 2)))
                    .optHiddenStates(m.create(z, new Shape(B, C)), m.create(r, new Shape(B, C))).build();
            double gotHidden = NormalizedConsistency.onHiddenStates().compute(hidden).getDouble();
            assertTrue(Numeric.relErr(gotHidden, expected) <= 1e-5, gotHidden + " vs " + expected);
        }
    }

    @Test
    void diversityIsScaledSquaredOffDiagonalCovariance() {
        double[] z = Numeric.gaussian(3, B * C, 2);
        double[] mean = new double[C];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                mean[c] += z[b * C + c] / B;
            }
        }
        double expected = 0;
        for (int i = 0; i < C; i++) {
            for (int j = 0; j < C; j++) {
                if (i == j) {
                    continue;
                }
                double cov = 0;
                for (int b = 0; b < B; b++) {
                    cov += (z[b * C + i] - mean[i]) * (z[b * C + j] - mean[j]);
                }
                cov /= B - 1;
                expected += cov * cov;
            }
        }
        expected /= C;
        try (NDManager m = NDManager.newBaseManager()) {
            double got = new CovarianceDiversity().compute(input(m, z, z, B, C)).getDouble();
            assertTrue(Numeric.relErr(got, expected) <= 1e-5, got + " vs " + expected);
        }
    }

    @Test
    void svdTermIsMinusTopKShareOfTheNuclearNorm() {
        double[] z = Numeric.gaussian(4, B * C, 2);
        double[] s = Numeric.singularValues(z, B, C);
        double top = s[0] + s[1] + s[2];
        double all = 0;
        for (double x : s) {
            all += x;
        }
        double expected = -top / (all + 1e-10);
        try (NDManager m = NDManager.newBaseManager()) {
            double got = SpectralConcentration.topK(3).compute(input(m, z, z, B, C)).getDouble();
            assertTrue(Numeric.relErr(got, expected) <= 1e-5, got + " vs " + expected);
        }
    }

    @Test
    void singleRowBatchSkipsCovarianceAndKAtLeastMinDimGivesMinusOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] one = {0.3, -1.2, 2.0};
            double cov = new CovarianceDiversity().compute(input(m, one, one, 1, 3)).getDouble();
            assertEquals(0.0, cov, 0.0, "B = 1: skipped, never NaN");
            // [32, 2] with k = 3 >= min(B, C) = 2: the ratio is the constant 1 (a warning is logged once).
            double[] z = Numeric.gaussian(5, 64, 1);
            double svd = SpectralConcentration.topK(3).compute(input(m, z, z, 32, 2)).getDouble();
            assertEquals(-1.0, svd, 1e-9);
        }
    }
}
