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
    // A trained head (PEFT modules_to_save) keeps its initial values here for the reference pass.
    private NDArray referenceWeight; // [out, in] or null
    private NDArray referenceBias; // [out] or null

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
     * Keeps frozen initial values that the reference pass ({@link ForwardContext#reference()}) uses instead of
     * the trainable weight and bias: how a trained head (PEFT {@code modules_to_save}) reproduces the model as it
     * was before training.
     *
     * @param initialWeight [out, in], frozen; the Linear owns it from now on
     * @param initialBias [out] or null (must be given exactly when the layer has a bias)
     */
    public void setReferenceCopy(NDArray initialWeight, NDArray initialBias) {
        if (!initialWeight.getShape().equals(weight.shape()) || (initialBias == null) != (bias == null)
                || (initialBias != null && !initialBias.getShape().equals(bias.shape()))) {
            throw new IllegalArgumentException(path + ": reference copy must match weight " + weight.shape()
                    + " and bias " + (bias == null ? "none" : bias.shape()));
        }
        clearReferenceCopy();
        referenceWeight = initialWeight;
        referenceBias = initialBias;
    }

    /** Whether a reference copy of the initial weights is held. */
    public boolean hasReferenceCopy() {
        return referenceWeight != null;
    }

    /** The frozen initial weight used by the reference pass, [out, in], or null. */
    public NDArray referenceWeight() {
        return referenceWeight;
    }

    /** The frozen initial bias used by the reference pass, [out], or null. */
    public NDArray referenceBias() {
        return referenceBias;
    }

    /** Drops the reference copy (closing it); the reference pass then uses the current weights. */
    public void clearReferenceCopy() {
        if (referenceWeight != null) {
            referenceWeight.close();
        }
        if (referenceBias != null) {
            referenceBias.close();
        }
        referenceWeight = null;
        referenceBias = null;
    }

    /**
     * Applies the layer.
     *
     * @param x input, [..., in]
     * @param context the forward mode
     * @return output, [..., out]
     */
    public NDArray forward(NDArray x, ForwardContext context) {
        boolean useReference = context.reference() && referenceWeight != null;
        NDArray w = useReference ? referenceWeight : weight.array();
        NDArray b = useReference ? referenceBias : bias == null ? null : bias.array();
        NDList out = b == null ? ai.djl.nn.core.Linear.linear(x, w) : ai.djl.nn.core.Linear.linear(x, w, b);
        NDArray y = out.singletonOrThrow();
        LinearAdapter adapter = activeAdapter();
        if (adapter != null && context.adaptersEnabled()) {
            NDArray delta = adapter.delta(x, context);
            // The reference pass runs without gradient: add in place rather than into a fresh [..., out] array.
            y = context.reference() && !y.hasGradient() ? y.addi(delta) : y.add(delta);
        }
        return y;
    }

    @Override
    public String toString() {
        return "Linear(" + path + ", in=" + inFeatures + ", out=" + outFeatures + (bias != null ? ", bias" : "")
                + (activeAdapter != null ? ", adapter=" + activeAdapter : "") + ")";
    }
}
