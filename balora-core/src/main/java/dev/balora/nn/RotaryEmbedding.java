package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the rotate-half layout of Hugging Face checkpoints: the first and second halves of
 * each head's dimensions form the rotated pairs.
 */
public final class RotaryEmbedding {
    private final int headDim;
    private final float[] invFreq; // [headDim / 2]

    /**
     * Creates the embedding.
     *
     * @param headDim dimensions per head (even)
     * @param theta the base, {@code rope_theta}
     * @param scaling the frequency rescaling rule
     */
    public RotaryEmbedding(int headDim, double theta, RopeScaling scaling) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("rotary embedding needs an even head dimension, got " + headDim);
        }
        if (!(theta > 0)) {
            throw new IllegalArgumentException("rope_theta must be positive, got " + theta);
        }
        this.headDim = headDim;
        double[] freq = new double[headDim / 2];
        for (int i = 0; i < freq.length; i++) {
            freq[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        freq = scaling.apply(freq);
        invFreq = new float[freq.length];
        for (int i = 0; i < freq.length; i++) {
            invFreq[i] = (float) freq[i];
        }
    }

    /**
     * Cosines and sines for every (sequence, position) pair.
     *
     * @param manager owner of the results
     * @param positions position ids, [batch][tokens]
     * @return cos and sin, each [batch, 1, tokens, headDim]
     */
    public NDList cosSin(NDManager manager, int[][] positions) {
        int b = positions.length;
        int t = b == 0 ? 0 : positions[0].length;
        int half = headDim / 2;
        float[] cos = new float[b * t * headDim];
        float[] sin = new float[cos.length];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                int base = (i * t + j) * headDim;
                for (int f = 0; f < half; f++) {
                    // The angle is rounded to float first, as the float32 reference implementations do.
                    float angle = positions[i][j] * invFreq[f];
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    cos[base + f] = c;
                    cos[base + half + f] = c;
                    sin[base + f] = s;
                    sin[base + half + f] = s;
                }
            }
        }
        Shape shape = new Shape(b, 1, t, headDim);
        return new NDList(EngineArrays.own(manager.create(cos, shape)), EngineArrays.own(manager.create(sin, shape)));
    }

    /**
     * Rotates queries or keys.
     *
     * @param x [batch, heads, tokens, headDim]
     * @param cos [batch, 1, tokens, headDim]
     * @param sin [batch, 1, tokens, headDim]
     * @return the rotated array, same shape
     */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, x.getShape().dimension() - 1);
        NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
