package dev.balora.regularizers.spectral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.linalg.HostLinalg;
import dev.balora.linalg.RandomizedSvd;
import dev.balora.linalg.Svd;
import org.ejml.data.DMatrixRMaj;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Detached singular triplets of a 2-D array by the three {@link SpectralMethod}s. */
public final class Decompositions {
    private static final Logger LOG = LoggerFactory.getLogger(Decompositions.class);

    private Decompositions() {}

    /**
     * Every triplet from an exact float64 SVD on the host.
     *
     * @param z the matrix, [m, n]
     * @return min(m, n) triplets, vectors on z's device in z's type
     */
    public static SingularTriplets exact(NDArray z) {
        Svd svd = HostLinalg.svd(HostLinalg.toHost(z.stopGradient()));
        NDManager manager = z.getManager();
        DataType type = floatType(z);
        return new SingularTriplets(HostLinalg.toDevice(svd.u(), manager, type), svd.s(),
                HostLinalg.toDevice(svd.v(), manager, type));
    }

    /**
     * Every non-negligible triplet from the eigenvectors of the smaller Gram matrix ({@code Z Z^T} or
     * {@code Z^T Z}), formed on the device; the other side's vectors are {@code Z^T u / ||Z^T u||}, so each value
     * {@code ||Z^T u_i||} is accurate even where the squared spectrum loses digits.
     *
     * @param z the matrix, [m, n]
     * @return up to min(m, n) triplets (directions of a zero singular value are dropped)
     */
    public static SingularTriplets gram(NDArray z) {
        Shape shape = z.getShape();
        boolean rowsSmaller = shape.get(0) <= shape.get(1);
        NDArray zd = z.stopGradient();
        try (NDManager scope = z.getManager().newSubManager()) {
            zd.attach(scope);
            NDArray gram = rowsSmaller ? zd.matMul(zd.transpose()) : zd.transpose().matMul(zd);
            HostLinalg.SymmetricEigen eig = HostLinalg.symmetricEigen(HostLinalg.toHost(gram));
            NDArray basis = HostLinalg.toDevice(eig.vectors(), scope, floatType(z)); // [small, small]
            NDArray other = rowsSmaller ? zd.transpose().matMul(basis) : zd.matMul(basis); // [large, small]
            double[] norms = other.norm(new int[] {0}).toType(DataType.FLOAT64, false).toDoubleArray();
            double max = 0;
            for (double x : norms) {
                max = Math.max(max, x);
            }
            // Directions whose singular value is at rounding level carry neither value nor a stable gradient.
            double tol = max * (z.getDataType() == DataType.FLOAT64 ? 1e-12 : 1e-6);
            int keep = 0;
            while (keep < norms.length && norms[keep] > tol) {
                keep++;
            }
            if (keep == 0) {
                return new SingularTriplets(null, new double[0], null);
            }
            double[] s = java.util.Arrays.copyOf(norms, keep);
            NDArray smallSide = basis.get(":, :" + keep);
            NDArray largeSide = other.get(":, :" + keep).div(scope.create(s).toType(floatType(z), false));
            NDArray u = rowsSmaller ? smallSide : largeSide;
            NDArray v = rowsSmaller ? largeSide : smallSide;
            // Eigenvalue order can differ from the order of the recomputed norms in the last digits: sort.
            return sorted(u, s, v, z.getManager());
        }
    }

    /**
     * The top triplets from a randomized range finder whose products run on z's device.
     *
     * @param z the matrix, [m, n]
     * @param k how many triplets
     * @param oversampling extra random columns
     * @param powerIterations subspace iterations
     * @param seed seed of the Gaussian test matrix
     * @return min(k, m, n) approximate triplets
     */
    public static SingularTriplets randomized(NDArray z, int k, int oversampling, int powerIterations, long seed) {
        RandomizedSvd.Result r;
        try {
            r = new RandomizedSvd(k, oversampling, powerIterations, seed).decompose(z.stopGradient(), z.getManager());
        } catch (ArithmeticException e) {
            // The QR of the sketch fails when Z has fewer than k + oversampling independent directions (equal or
            // constant rows, Z = 0): then Z's rank is small, and the Gram route finds every non-zero triplet.
            LOG.warn("randomized SVD of a {} matrix failed ({}): rank-deficient, using the Gram eigenproblem",
                    z.getShape(), e.getMessage());
            return gram(z);
        }
        DataType type = floatType(z);
        return new SingularTriplets(r.u().toType(type, false), r.s(), r.v().toType(type, false));
    }

    private static SingularTriplets sorted(NDArray u, double[] s, NDArray v, NDManager owner) {
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
        long[] idx = new long[order.length];
        double[] sortedS = new double[order.length];
        boolean identity = true;
        for (int i = 0; i < order.length; i++) {
            idx[i] = order[i];
            sortedS[i] = s[order[i]];
            identity &= order[i] == i;
        }
        NDArray su = u;
        NDArray sv = v;
        if (!identity) {
            NDArray index = owner.create(idx);
            su = u.transpose().get(index).transpose();
            sv = v.transpose().get(index).transpose();
        }
        su.attach(owner);
        sv.attach(owner);
        return new SingularTriplets(su, sortedS, sv);
    }

    private static DataType floatType(NDArray z) {
        return z.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
    }
}
