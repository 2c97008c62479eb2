package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The adapter-aware linear layer every architecture builds its Linears with: {@code y = x W^T + b} plus the
 * update of the active adapter, if one is attached.
 *
 * <p>Weights are always stored [out, in] (GPT-2's Conv1D weights are transposed when loaded). Adapters are kept
 * by name like PEFT's, so several can be attached and one made active.
 */
public final class Linear implements Layer {
    private final String path;
    private final long inFeatures;
    private final long outFeatures;
    private final Param weight; // [out, in]
    private final Param bias; // [out] or null
    private final Map<String, LinearAdapter> adapters = new LinkedHashMap<>();
    private String activeAdapter;

    /**
     * Creates a frozen linear layer from loaded weights.
     *
     * @param path the Hugging Face module path
     * @param weight the weight, [out, in]
     * @param bias the bias, [out], or null
     */
    public Linear(String path, NDArray weight, NDArray bias) {
        this.path = Objects.requireNonNull(path);
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException(path + ".weight must be 2-D [out, in], got " + weight.getShape());
        }
        this.outFeatures = weight.getShape().get(0);
        this.inFeatures = weight.getShape().get(1);
        this.weight = new Param("weight", weight, false);
        if (bias != null && (bias.getShape().dimension() != 1 || bias.getShape().get(0) != outFeatures)) {
            throw new IllegalArgumentException(path + ".bias must be [" + outFeatures + "], got " + bias.getShape());
        }
        this.bias = bias == null ? null : new Param("bias", bias, false);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of();
    }

    /** Weight and bias, plus the active adapter's parameters under their PEFT local names. */
    @Override
    public Map<String, Param> parameters() {
        Map<String, Param> out = new LinkedHashMap<>();
        out.put("weight", weight);
        if (bias != null) {
            out.put("bias", bias);
        }
        LinearAdapter active = activeAdapter();
        if (active != null) {
            out.putAll(active.parameters());
        }
        return out;
    }

    /** Input features. */
    public long inFeatures() {
        return inFeatures;
    }

    /** Output features. */
    public long outFeatures() {
        return outFeatures;
    }

    /** The weight, [out, in]. */
    public Param weight() {
        return weight;
    }

    /** The bias, [out], or null. */
    public Param bias() {
        return bias;
    }

    /**
     * Attaches an adapter under a name and makes it active.
     *
     * @param name the adapter name (PEFT's default is {@code default})
     * @param adapter the adapter
     */
    public void attach(String name, LinearAdapter adapter) {
        adapters.put(Objects.requireNonNull(name), Objects.requireNonNull(adapter));
        activeAdapter = name;
    }

    /** Removes an adapter; returns it, or null when none had that name. */
    public LinearAdapter detach(String name) {
        LinearAdapter removed = adapters.remove(name);
        if (name.equals(activeAdapter)) {
            activeAdapter = adapters.isEmpty() ? null : adapters.keySet().iterator().next();
        }
        return removed;
    }

    /** Selects which attached adapter is active. */
    public void setActiveAdapter(String name) {
        if (!adapters.containsKey(name)) {
            throw new IllegalArgumentException(path + " has no adapter '" + name + "'; it has " + adapters.keySet());
        }
        activeAdapter = name;
    }

    /** The active adapter, or null. */
    public LinearAdapter activeAdapter() {
        return activeAdapter == null ? null : adapters.get(activeAdapter);
    }

    /** Every attached adapter by name. */
    public Map<String, LinearAdapter> adapters() {
        return Collections.unmodifiableMap(adapters);
    }

    /**
     * Applies the layer.
     *
     * @param x input, [..., in]
     * @param context the forward mode
     * @return output, [..., out]
     */
    public NDArray forward(NDArray x, ForwardContext context) {
        NDList out = bias == null
                ? ai.djl.nn.core.Linear.linear(x, weight.array())
                : ai.djl.nn.core.Linear.linear(x, weight.array(), bias.array());
        NDArray y = out.singletonOrThrow();
        LinearAdapter adapter = activeAdapter();
        if (adapter != null && context.adaptersEnabled()) {
            y = y.add(adapter.delta(x, context));
        }
        return y;
    }

    @Override
    public String toString() {
        return "Linear(" + path + ", in=" + inFeatures + ", out=" + outFeatures + (bias != null ? ", bias" : "")
                + (activeAdapter != null ? ", adapter=" + activeAdapter : "") + ")";
    }
}
