package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/** The gated feed-forward block {@code down(act(gate(x)) * up(x))}: SwiGLU with SiLU, GeGLU with GELU. */
public final class GatedMlp implements Layer {
    private final String path;
    private final Linear gate; // [intermediate, hidden]
    private final Linear up; // [intermediate, hidden]
    private final Linear down; // [hidden, intermediate]
    private final Activation activation;

    /**
     * Creates the block.
     *
     * @param path module path ({@code model.layers.N.mlp})
     * @param gate gate projection
     * @param up up projection
     * @param down down projection
     * @param activation applied to the gate
     */
    public GatedMlp(String path, Linear gate, Linear up, Linear down, Activation activation) {
        this.path = path;
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.activation = activation;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(gate, up, down);
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /** Applies the block to [..., hidden]. */
    public NDArray forward(NDArray x, ForwardContext context) {
        NDArray g = activation.apply(gate.forward(x, context));
        return down.forward(g.mul(up.forward(x, context)), context);
    }
}
