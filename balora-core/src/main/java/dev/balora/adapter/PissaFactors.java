package dev.balora.adapter;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ejml.data.DMatrixRMaj;

/**
 * Builds PiSSA's factors from singular triplets: with S' = S[:r] / s, {@code A = diag(sqrt(S')) V[:, :r]^T} and
 * {@code B = U[:, :r] diag(sqrt(S'))}, so that {@code s B A} is the best rank-r part of W.
 */
final class PissaFactors {

    private PissaFactors() {}

    /**
     * Creates A [r, in] and B [out, r].
     *
     * @param u left singular vectors, [out, k >= r]
     * @param s singular values, descending, length >= r
     * @param v right singular vectors, [in, k >= r]
     * @param rank r
     * @param scaling s
     * @param manager owner of the new arrays
     */
    static AdapterInit.Factors build(DMatrixRMaj u, double[] s, DMatrixRMaj v, int rank, double scaling,
            NDManager manager) {
        int out = u.numRows;
        int in = v.numRows;
        double[] root = new double[rank];
        for (int i = 0; i < rank; i++) {
            root[i] = Math.sqrt(Math.max(s[i], 0) / scaling);
        }
        float[] a = new float[rank * in];
        for (int i = 0; i < rank; i++) {
            for (int j = 0; j < in; j++) {
                a[i * in + j] = (float) (root[i] * v.get(j, i));
            }
        }
        float[] b = new float[out * rank];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < rank; i++) {
                b[o * rank + i] = (float) (u.get(o, i) * root[i]);
            }
        }
        return new AdapterInit.Factors(EngineArrays.own(manager.create(a, new Shape(rank, in))), EngineArrays.own(manager.create(b, new Shape(out, rank))));
    }
}
