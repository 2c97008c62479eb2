package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Layer normalisation over the last axis with a learned scale and shift. */
public final class LayerNorm implements Layer {
    private final String path;
    private final Param weight; // [hidden]
    private final Param bias; // [hidden]
    private final float eps;

    /**
     * Creates the norm.
     *
     * @param path the Hugging Face module path
     * @param weight the scale, [hidden]
     * @param bias the shift, [hidden]
     * @param eps added to the variance
     */
    public LayerNorm(String path, NDArray weight, NDArray bias, float eps) {
        if (weight.getShape().dimension() != 1 || !weight.getShape().equals(bias.getShape())) {
            throw new IllegalArgumentException(path + ": weight and bias must be the same 1-D shape, got "
                    + weight.getShape() + " and " + bias.getShape());
        }
        this.path = path;
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

    /** Normalises over the last axis. */
    public NDArray forward(NDArray x) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        NDArray std = centred.square().mean(new int[] {-1}, true).add(eps).sqrt();
        return centred.div(std).mul(weight.array()).add(bias.array());
    }
}
