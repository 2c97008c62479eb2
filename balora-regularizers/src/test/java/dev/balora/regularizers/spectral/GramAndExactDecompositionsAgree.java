package dev.balora.regularizers.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.regularizers.Numeric;
import org.junit.jupiter.api.Test;

/**
 * The Gram path (wide, tall and rank-deficient FLOAT64 matrices) and the exact path give EJML's singular values
 * (rel. 1e-9), and {@code u_i^T Z v_i} reproduces each of them.
 */
class GramAndExactDecompositionsAgree {

    private static void check(double[] z, int rows, int cols, int expectedRank) {
        double[] s = Numeric.singularValues(z, rows, cols);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(z, new Shape(rows, cols));
            for (SingularTriplets t : new SingularTriplets[] {Decompositions.gram(a), Decompositions.exact(a)}) {
                int rank = Math.min(t.count(), expectedRank);
                double[] sigma = t.differentiableValues(a, rank).toDoubleArray();
                for (int i = 0; i < rank; i++) {
                    assertTrue(Numeric.relErr(t.s()[i], s[i]) <= 1e-9, "sigma_" + i + " " + t.s()[i] + " vs " + s[i]);
                    assertTrue(Numeric.relErr(sigma[i], s[i]) <= 1e-9, "u^T Z v " + sigma[i] + " vs " + s[i]);
                }
            }
            assertEquals(expectedRank, Decompositions.gram(a).count(), "zero directions are dropped");
        }
    }

    @Test
    void wideTallAndRankDeficient() {
        check(Numeric.gaussian(41, 6 * 40, 1), 6, 40, 6);
        check(Numeric.gaussian(42, 40 * 6, 1), 40, 6, 6);
        // Rank 3: a [10, 3] times [3, 8] product.
        double[] l = Numeric.gaussian(43, 30, 1);
        double[] r = Numeric.gaussian(44, 24, 1);
        double[] z = new double[80];
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 8; j++) {
                for (int k = 0; k < 3; k++) {
                    z[i * 8 + j] += l[i * 3 + k] * r[k * 8 + j];
                }
            }
        }
        check(z, 10, 8, 3);
    }
}
