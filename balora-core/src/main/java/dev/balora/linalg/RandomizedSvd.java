package dev.balora.linalg;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Randomized truncated SVD (Halko, Martinsson and Tropp): the products with the large matrix run on its device
 * through DJL; the orthonormalisations and the small SVD run on the host in float64.
 *
 * <p>Deterministic for a given seed: the Gaussian test matrix is drawn in Java, not by the engine. No gradient
 * flows through the result; the input is detached first. Products run in FLOAT64 for a FLOAT64 input and in
 * FLOAT32 otherwise; the returned vectors have that type.
 */
public final class RandomizedSvd {
    private final int rank;
    private final int oversampling;
    private final int powerIterations;
    private final long seed;

    /**
     * Configures the decomposition.
     *
     * @param rank how many singular triplets to return
     * @param oversampling extra random columns (PEFT uses 0, the literature 5 to 10)
     * @param powerIterations subspace iterations that sharpen a slowly decaying spectrum
     * @param seed seed of the Gaussian test matrix
     */
    public RandomizedSvd(int rank, int oversampling, int powerIterations, long seed) {
        if (rank < 1 || oversampling < 0 || powerIterations < 0) {
            throw new IllegalArgumentException("rank must be >= 1, oversampling and power iterations >= 0; got rank="
                    + rank + ", oversampling=" + oversampling + ", powerIterations=" + powerIterations);
        }
        this.rank = rank;
        this.oversampling = oversampling;
        this.powerIterations = powerIterations;
        this.seed = seed;
    }

    /**
     * Decomposes {@code z} approximately.
     *
     * @param z the matrix, [m, n], on any device
     * @param manager owner of the returned device arrays
     * @return top singular triplets; {@code k = min(rank, m, n)}
     */
    public Result decompose(NDArray z, NDManager manager) {
        Shape shape = z.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("randomized SVD needs a 2-D matrix, got " + shape);
        }
        int m = Math.toIntExact(shape.get(0));
        int n = Math.toIntExact(shape.get(1));
        int k = Math.min(rank, Math.min(m, n));
        int q = Math.min(k + oversampling, Math.min(m, n));
        try (NDManager scope = manager.newSubManager(z.getDevice())) {
            // FLOAT64 input stays FLOAT64 (exact checks); every other type is multiplied in FLOAT32.
            DataType type = z.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
            NDArray a = z.stopGradient().toType(type, false);
            a.attach(scope);
            NDArray omega = gaussian(n, q, scope).toType(type, false);
            DMatrixRMaj qHost = HostLinalg.orthonormalColumns(HostLinalg.toHost(a.matMul(omega)));
            for (int i = 0; i < powerIterations; i++) {
                NDArray qDev = HostLinalg.toDevice(qHost, scope, type);
                DMatrixRMaj w = HostLinalg.orthonormalColumns(HostLinalg.toHost(a.transpose().matMul(qDev)));
                qHost = HostLinalg.orthonormalColumns(
                        HostLinalg.toHost(a.matMul(HostLinalg.toDevice(w, scope, type))));
            }
            NDArray qDev = HostLinalg.toDevice(qHost, scope, type);
            // B = Q^T A is only q x n: its exact SVD on the host gives the triplets of A.
            DMatrixRMaj b = HostLinalg.toHost(qDev.transpose().matMul(a));
            Svd small = HostLinalg.svd(b);
            DMatrixRMaj uSmall = new DMatrixRMaj(q, k);
            DMatrixRMaj v = new DMatrixRMaj(n, k);
            double[] s = new double[k];
            for (int c = 0; c < k; c++) {
                s[c] = small.s()[c];
                for (int r = 0; r < q; r++) {
                    uSmall.set(r, c, small.u().get(r, c));
                }
                for (int r = 0; r < n; r++) {
                    v.set(r, c, small.v().get(r, c));
                }
            }
            NDArray u = qDev.matMul(HostLinalg.toDevice(uSmall, scope, type));
            NDArray vDev = HostLinalg.toDevice(v, scope, type);
            u.attach(manager);
            vDev.attach(manager);
            return new Result(u, s, vDev);
        }
    }

    private NDArray gaussian(int rows, int cols, NDManager manager) {
        Random random = new Random(seed);
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return EngineArrays.own(manager.create(data, new Shape(rows, cols)));
    }

    /**
     * Top singular triplets.
     *
     * @param u left singular vectors on the device, [m, k]
     * @param s singular values, descending
     * @param v right singular vectors on the device, [n, k]
     */
    public record Result(NDArray u, double[] s, NDArray v) {}
}
