package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Layer normalisation over the last dimension with a learned scale ({@code weight}) and shift ({@code bias}). */
public final class LayerNorm implements Layer {
    private final String path;
    private final Param weight; // [hidden]
    private final Param bias; // [hidden]
    private final float eps;

    /**
     * Creates a frozen LayerNorm from loaded weights.
     *
     * @param path the Hugging Face module path, e.g. {@code embeddings.LayerNorm}
     * @param weight the scale, [hidden]
     * @param bias the shift, [hidden]
     * @param eps added to the variance
     */
    public LayerNorm(String path, NDArray weight, NDArray bias, float eps) {
        this.path = Objects.requireNonNull(path);
        if (weight.getShape().dimension() != 1 || !weight.getShape().equals(bias.getShape())) {
            throw new IllegalArgumentException(path + ": weight and bias must both be [hidden], got "
                    + weight.getShape() + " and " + bias.getShape());
        }
        this.weight = new Param("weight", weight, false);
        this.bias = new Param("bias", bias, false);
        this.eps = eps;
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
        Map<String, Param> out = new LinkedHashMap<>();
        out.put("weight", weight);
        out.put("bias", bias);
        return out;
    }

    /** Normalises {@code x} ([..., hidden]). */
    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(weight.shape().get(0)), weight.array(), bias.array(), eps)
                .singletonOrThrow();
    }
}
