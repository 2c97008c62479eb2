package dev.balora.linalg;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Exact dense decompositions of host matrices in float64 (EJML), and NDArray conversions. */
public final class HostLinalg {

    private HostLinalg() {}

    /** Copies a 2-D array (any float type) to a float64 host matrix. */
    public static DMatrixRMaj toHost(NDArray matrix) {
        Shape shape = matrix.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("expected a 2-D array, got " + shape);
        }
        double[] data = matrix.toType(DataType.FLOAT64, false).toDoubleArray();
        return DMatrixRMaj.wrap(Math.toIntExact(shape.get(0)), Math.toIntExact(shape.get(1)), data);
    }

    /**
     * Copies a host matrix to a new array of the given float type owned by {@code manager}.
     *
     * @param matrix the host matrix
     * @param manager owner (and device) of the result
     * @param type FLOAT32 or FLOAT64
     * @return the array, [rows, cols]
     */
    public static NDArray toDevice(DMatrixRMaj matrix, NDManager manager, DataType type) {
        Shape shape = new Shape(matrix.numRows, matrix.numCols);
        if (type == DataType.FLOAT64) {
            return EngineArrays.own(manager.create(java.util.Arrays.copyOf(matrix.data, matrix.getNumElements()), shape));
        }
        if (type != DataType.FLOAT32) {
            throw new IllegalArgumentException("host matrices go to FLOAT32 or FLOAT64 arrays, not " + type);
        }
        return toDevice(matrix, manager);
    }

    /** Copies a host matrix to a new FP32 array owned by {@code manager}. */
    public static NDArray toDevice(DMatrixRMaj matrix, NDManager manager) {
        float[] data = new float[matrix.getNumElements()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) matrix.data[i];
        }
        return EngineArrays.own(manager.create(data, new Shape(matrix.numRows, matrix.numCols)));
    }

    /**
     * Thin SVD, singular values descending.
     *
     * @param m the matrix, [rows, cols]; not modified
     * @return U [rows, k], S [k], V [cols, k] with k = min(rows, cols)
     */
    public static Svd svd(DMatrixRMaj m) {
        SingularValueDecomposition_F64<DMatrixRMaj> dec =
                DecompositionFactory_DDRM.svd(m.numRows, m.numCols, true, true, true);
        if (!dec.decompose(m.copy())) {
            throw new ArithmeticException("SVD did not converge on a " + m.numRows + "x" + m.numCols + " matrix");
        }
        DMatrixRMaj u = dec.getU(null, false);
        DMatrixRMaj w = dec.getW(null);
        DMatrixRMaj v = dec.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        int k = Math.min(w.numRows, w.numCols);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = w.get(i, i);
        }
        return new Svd(u, s, v);
    }

    /** Singular values only, descending. */
    public static double[] singularValues(DMatrixRMaj m) {
        SingularValueDecomposition_F64<DMatrixRMaj> dec =
                DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
        if (!dec.decompose(m.copy())) {
            throw new ArithmeticException("SVD did not converge on a " + m.numRows + "x" + m.numCols + " matrix");
        }
        double[] s = dec.getSingularValues().clone();
        java.util.Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /**
     * Eigen-decomposition of a symmetric matrix, eigenvalues descending.
     *
     * @param symmetric a symmetric [n, n] matrix; not modified
     * @return the eigenvalues (descending) and the matching unit eigenvectors as columns of an [n, n] matrix
     */
    public static SymmetricEigen symmetricEigen(DMatrixRMaj symmetric) {
        int n = symmetric.numRows;
        EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, true, true);
        if (!dec.decompose(symmetric.copy())) {
            throw new ArithmeticException("symmetric eigen-decomposition did not converge (" + n + "x" + n + ")");
        }
        Integer[] order = new Integer[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            values[i] = dec.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[] sorted = new double[n];
        DMatrixRMaj vectors = new DMatrixRMaj(n, n);
        for (int c = 0; c < n; c++) {
            sorted[c] = values[order[c]];
            DMatrixRMaj vec = dec.getEigenVector(order[c]);
            for (int r = 0; r < n; r++) {
                vectors.set(r, c, vec.get(r, 0));
            }
        }
        return new SymmetricEigen(sorted, vectors);
    }

    /** Orthonormal basis of the column space: the thin Q of a QR decomposition, [rows, cols]. */
    public static DMatrixRMaj orthonormalColumns(DMatrixRMaj m) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(m.numRows, m.numCols);
        if (!qr.decompose(m.copy())) {
            throw new ArithmeticException("QR failed on a " + m.numRows + "x" + m.numCols + " matrix");
        }
        return qr.getQ(null, true);
    }

    /** {@code a^T}. */
    public static DMatrixRMaj transpose(DMatrixRMaj a) {
        return CommonOps_DDRM.transpose(a, null);
    }

    /**
     * Eigenvalues (descending) and eigenvectors (columns) of a symmetric matrix.
     *
     * @param values eigenvalues, descending
     * @param vectors unit eigenvectors as columns, [n, n]
     */
    public record SymmetricEigen(double[] values, DMatrixRMaj vectors) {}
}
