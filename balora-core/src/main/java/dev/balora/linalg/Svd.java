package dev.balora.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * A thin singular value decomposition {@code M = U diag(S) V^T} on the host, singular values descending.
 *
 * @param u left singular vectors, [m, k]
 * @param s singular values, descending, length k
 * @param v right singular vectors, [n, k] (not transposed)
 */
public record Svd(DMatrixRMaj u, double[] s, DMatrixRMaj v) {

    /** Number of singular triplets held. */
    public int rank() {
        return s.length;
    }
}
