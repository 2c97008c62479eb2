package dev.balora.regularizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Test helpers: random inputs, exact singular values straight from EJML, and autograd gradients against central
 * finite differences in FLOAT64.
 */
public final class Numeric {

    private Numeric() {}

    /** Gaussian values times {@code scale}. */
    public static double[] gaussian(long seed, int n, double scale) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * r.nextGaussian();
        }
        return x;
    }

    /** Singular values of a row-major [rows, cols] matrix by EJML's SVD, descending. */
    public static double[] singularValues(double[] rowMajor, int rows, int cols) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, cols, false, false, true);
        if (!svd.decompose(new DMatrixRMaj(rows, cols, true, rowMajor))) {
            throw new AssertionError("EJML SVD failed");
        }
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** {@code f(x)} evaluated without gradient, as a double. */
    public static double value(NDManager manager, double[] x, Shape shape, Function<NDArray, NDArray> f) {
        try (NDManager scope = manager.newSubManager()) {
            return f.apply(scope.create(x, shape)).getDouble();
        }
    }

    /** The autograd gradient of the scalar {@code f(x)} with respect to x. */
    public static double[] gradient(NDManager manager, double[] x, Shape shape, Function<NDArray, NDArray> f) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.create(x, shape);
            a.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(f.apply(a));
            }
            return a.getGradient().toDoubleArray();
        }
    }

    /**
     * Asserts that the autograd gradient equals the central finite difference {@code (f(x+h e_i) - f(x-h e_i)) /
     * 2h} at every coordinate (FLOAT64, h = 1e-6), within {@code 1e-7 + relTol * |g_i|}.
     */
    public static void assertGradientMatchesFiniteDifferences(NDManager manager, double[] x, Shape shape,
            Function<NDArray, NDArray> f, double relTol, String what) {
        assertGradientMatchesFiniteDifferences(manager, x, shape, f, relTol, 1, what);
    }

    /** As above, on every {@code stride}-th coordinate only (to keep larger checks fast). */
    public static void assertGradientMatchesFiniteDifferences(NDManager manager, double[] x, Shape shape,
            Function<NDArray, NDArray> f, double relTol, int stride, String what) {
        double[] g = gradient(manager, x, shape, f);
        double h = 1e-6;
        double worst = 0;
        for (int i = 0; i < x.length; i += stride) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (value(manager, plus, shape, f) - value(manager, minus, shape, f)) / (2 * h);
            double err = Math.abs(fd - g[i]);
            worst = Math.max(worst, err);
            assertTrue(err <= 1e-7 + relTol * Math.abs(fd), what + ": coordinate " + i + " autograd " + g[i]
                    + " vs finite difference " + fd);
        }
        double norm = 0;
        for (double gi : g) {
            norm += gi * gi;
        }
        assertTrue(norm > 1e-16, what + ": the gradient is zero, the check would prove nothing");
    }

    /** Relative error {@code |a - b| / |b|}. */
    public static double relErr(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }
}
