package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.BatchPlanner;
import dev.balora.data.BatchSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test data: fixed random features labelled by a random linear teacher. */
final class FeatureData implements BatchSource {
    final int n;
    final float[] features; // [n, IN]
    final long[] labels; // [n]
    final BatchOrder order;

    FeatureData(int n, long seed, BatchOrder order) {
        this.n = n;
        this.order = order;
        Random r = new Random(seed);
        int in = TinyClassifier.IN;
        int c = TinyClassifier.CLASSES;
        float[] teacher = new float[c * in];
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = (float) r.nextGaussian();
        }
        features = new float[n * in];
        labels = new long[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < in; j++) {
                features[i * in + j] = (float) r.nextGaussian();
            }
            int best = 0;
            double bestScore = -Double.MAX_VALUE;
            for (int k = 0; k < c; k++) {
                double s = 0;
                for (int j = 0; j < in; j++) {
                    s += teacher[k * in + j] * features[i * in + j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = k;
                }
            }
            labels[i] = best;
        }
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public List<int[]> plan(int batchSize, long seed, int epoch) {
        return new BatchPlanner(batchSize, order, 4).plan(new int[n], seed, epoch);
    }

    @Override
    public Batch load(int[] indices, NDManager manager) {
        int in = TinyClassifier.IN;
        float[] x = new float[indices.length * in];
        long[] y = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * in, x, i * in, in);
            y[i] = labels[indices[i]];
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put("features", manager.create(x, new Shape(indices.length, in)));
        arrays.put(Batch.LABELS, manager.create(y));
        return new Batch(arrays, indices, indices.length);
    }
}
