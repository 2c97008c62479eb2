package dev.balora.regularizers.spectral;

import ai.djl.ndarray.NDArray;

/**
 * Detached singular vectors of a matrix Z [m, n] and their singular values, descending.
 *
 * @param u left singular vectors, [m, k], same device and type as Z, no gradient
 * @param s singular values computed without gradient, length k, descending
 * @param v right singular vectors, [n, k], same device and type as Z, no gradient
 */
public record SingularTriplets(NDArray u, double[] s, NDArray v) {

    /** How many triplets are held. */
    public int count() {
        return s.length;
    }

    /**
     * The singular values as a differentiable function of {@code z}: {@code sigma_i = u_i^T Z v_i}.
     *
     * @param z the matrix these triplets were computed from, [m, n], with gradient
     * @param first how many leading triplets to use, {@code 1 <= first <= count()}
     * @return sigma, [first]; its gradient with respect to z is {@code u_i v_i^T}
     */
    public NDArray differentiableValues(NDArray z, int first) {
        if (first < 1 || first > count()) {
            throw new IllegalArgumentException("asked for " + first + " singular values, " + count() + " held");
        }
        NDArray uk = first == count() ? u : u.get(":, :" + first);
        NDArray vk = first == count() ? v : v.get(":, :" + first);
        // (U^T Z) is [k, n]; its row i dotted with v_i is u_i^T Z v_i.
        return uk.transpose().matMul(z).mul(vk.transpose()).sum(new int[] {1});
    }
}
