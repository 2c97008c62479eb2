package dev.balora.adapter;

import ai.djl.ndarray.NDArray;

/** Small numeric helpers for the adapter tests. */
final class TestArrays {

    private TestArrays() {}

    /** max |a - b| over all elements. */
    static double maxAbsDiff(NDArray a, NDArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        if (x.length != y.length) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs((double) x[i] - y[i]));
        }
        return m;
    }
}
