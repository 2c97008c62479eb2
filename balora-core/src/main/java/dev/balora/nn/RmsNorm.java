package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Root-mean-square normalisation, {@code x / sqrt(mean(x^2) + eps) * w}; Gemma stores {@code w} zero-centred and
 * scales by {@code (1 + w)}.
 */
public final class RmsNorm implements Layer {
    private final String path;
    private final Param weight; // [hidden]
    private final float eps;
    private final boolean unitOffset;

    /**
     * Creates the norm.
     *
     * @param path the Hugging Face module path
     * @param weight the scale, [hidden]
     * @param eps added to the mean square
     * @param unitOffset true for Gemma's {@code (1 + w)} scaling
     */
    public RmsNorm(String path, NDArray weight, float eps, boolean unitOffset) {
        if (weight.getShape().dimension() != 1) {
            throw new IllegalArgumentException(path + ".weight must be 1-D, got " + weight.getShape());
        }
        this.path = path;
        this.weight = new Param("weight", weight, false);
        this.eps = eps;
        this.unitOffset = unitOffset;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of();
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of("weight", weight);
    }

    /** Normalises over the last axis. */
    public NDArray forward(NDArray x) {
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
        NDArray scale = unitOffset ? weight.array().add(1f) : weight.array();
        return x.div(rms).mul(scale);
    }
}
