package dev.balora.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A pretrained model with LoRA/PiSSA adapters attached by module path: base frozen, adapters and trained heads
 * (modules_to_save) trainable, heads keeping a frozen initial copy for the reference pass. Merges, unmerges and
 * unloads.
 *
 * <p>The model's own forward runs the adapters (every architecture builds its Linears adapter-aware); pick the
 * mode with {@link dev.balora.nn.ForwardContext}.
 */
public final class LoraModel {
    /** PEFT's default adapter name. */
    public static final String DEFAULT_ADAPTER = "default";

    private final PretrainedModel model;
    private final AdapterConfig config;
    private final String adapterName;
    private final Map<String, LoraAdapter> adapters; // by module path, model order
    private final Map<String, Linear> targets; // the adapted Linears by module path
    private final Map<String, Linear> heads; // modules_to_save Linears by module path

    private LoraModel(PretrainedModel model, AdapterConfig config, String adapterName,
            Map<String, LoraAdapter> adapters, Map<String, Linear> targets, Map<String, Linear> heads) {
        this.model = model;
        this.config = config;
        this.adapterName = adapterName;
        this.adapters = adapters;
        this.targets = targets;
        this.heads = heads;
    }

    /**
     * Attaches fresh adapters initialised as the configuration says (PiSSA writes W_res into the base in place).
     *
     * @param model the base model; frozen by this call
     * @param config the adapter configuration
     * @return the adapted model
     * @throws IllegalArgumentException when the configuration does not fit the model
     */
    public static LoraModel attach(PretrainedModel model, AdapterConfig config) {
        return attach(model, config, AdapterInit.of(config), DEFAULT_ADAPTER);
    }

    /**
     * Attaches adapters whose initial factors come from {@code init} (a strategy, or factors loaded from a file).
     *
     * @param model the base model; frozen by this call
     * @param config the adapter configuration (targets, ranks, alphas, dropout, heads)
     * @param init where A and B come from
     * @param adapterName the name the adapters are attached under
     * @return the adapted model
     */
    public static LoraModel attach(PretrainedModel model, AdapterConfig config, AdapterInit init, String adapterName) {
        Objects.requireNonNull(model, "model");
        TargetResolver.Resolution plan = TargetResolver.resolve(model, config);
        for (Param p : Layers.parameters(model).values()) {
            p.setTrainable(false);
        }
        NDManager owner = model.manager();
        Map<String, LoraAdapter> adapters = new LinkedHashMap<>();
        // One layer at a time: only this layer's decomposition and update are alive at once.
        for (Map.Entry<String, Linear> e : plan.targets().entrySet()) {
            String path = e.getKey();
            Linear linear = e.getValue();
            int rank = config.rankFor(path);
            double alpha = config.alphaFor(path);
            double scaling = Scaling.of(alpha, rank, config.useRslora());
            AdapterInit.Factors f;
            try (NDManager scope = owner.newSubManager()) {
                f = init.create(path, linear, rank, scaling, scope);
                checkShape(path, f, linear, rank);
                if (init.writesResidual()) {
                    // W_res = W - s·B·A from the STORED factors, so the model is exact whatever the SVD's accuracy.
                    NDArray update = f.b().matMul(f.a()).mul(scaling);
                    linear.weight().array().subi(update);
                }
                f.a().attach(owner);
                f.b().attach(owner);
            }
            LoraAdapter adapter = new LoraAdapter(path, f.a(), f.b(), alpha, scaling, config.dropout());
            linear.attach(adapterName, adapter);
            adapters.put(path, adapter);
        }
        for (Linear head : plan.heads().values()) {
            head.weight().setTrainable(true);
            if (head.bias() != null) {
                head.bias().setTrainable(true);
            }
            resetHeadReference(head);
        }
        return new LoraModel(model, config, adapterName, Collections.unmodifiableMap(adapters),
                Collections.unmodifiableMap(new LinkedHashMap<>(plan.targets())),
                Collections.unmodifiableMap(new LinkedHashMap<>(plan.heads())));
    }

    private static void checkShape(String path, AdapterInit.Factors f, Linear linear, int rank) {
        long[] a = f.a().getShape().getShape();
        long[] b = f.b().getShape().getShape();
        if (a.length != 2 || b.length != 2 || a[0] != rank || a[1] != linear.inFeatures() || b[0] != linear.outFeatures()
                || b[1] != rank) {
            throw new IllegalArgumentException(path + ": expected lora_A [" + rank + ", " + linear.inFeatures()
                    + "] and lora_B [" + linear.outFeatures() + ", " + rank + "], got " + f.a().getShape() + " and "
                    + f.b().getShape());
        }
    }

    /** Makes a head's current weights its reference (initial) copy. */
    static void resetHeadReference(Linear head) {
        NDArray w = head.weight().array().stopGradient().duplicate();
        NDArray b = head.bias() == null ? null : head.bias().array().stopGradient().duplicate();
        head.setReferenceCopy(w, b);
    }

    /** The underlying model (its Linears carry the adapters). */
    public PretrainedModel model() {
        return model;
    }

    /** The configuration the adapters were built with. */
    public AdapterConfig config() {
        return config;
    }

    /** The name the adapters are attached under. */
    public String adapterName() {
        return adapterName;
    }

    /** Adapters by module path, in model order. */
    public Map<String, LoraAdapter> adapters() {
        return adapters;
    }

    /** Trained heads (modules_to_save) by module path. */
    public Map<String, Linear> heads() {
        return heads;
    }

    /** Every trainable parameter by state-dict key (adapter factors under PEFT names, head weights). */
    public Map<String, Param> trainableParameters() {
        Map<String, Param> out = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : Layers.parameters(model).entrySet()) {
            if (e.getValue().trainable()) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Trainable versus total parameter elements. */
    public ParameterCount parameterCount() {
        return new ParameterCount(Layers.count(model, true), Layers.count(model, false));
    }

    /** Makes the current adapter factors and heads the reference state (after loading a trained adapter). */
    public void resetReference() {
        adapters.values().forEach(LoraAdapter::resetReference);
        heads.values().forEach(LoraModel::resetHeadReference);
    }

    /**
     * Adds s·B·A into every adapted weight; the adapters then contribute nothing until {@link #unmerge()}.
     *
     * @param safe check each merged weight for NaN/infinity before writing it, and refuse if any
     * @throws ArithmeticException (safe mode) naming the layer whose merge would not be finite; nothing is changed
     */
    public void merge(boolean safe) {
        if (safe) {
            for (LoraAdapter a : adapters.values()) {
                if (a.merged()) {
                    continue;
                }
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray delta = a.deltaWeight(false);
                    delta.attach(scope);
                    NDArray merged = weight(a).add(delta);
                    if (!merged.isInfinite().logicalOr(merged.isNaN()).none().getBoolean()) {
                        throw new ArithmeticException("merging the adapter of '" + a.path()
                                + "' gives non-finite weights; nothing was merged");
                    }
                }
            }
        }
        for (LoraAdapter a : adapters.values()) {
            if (!a.merged()) {
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray delta = a.deltaWeight(false);
                    delta.attach(scope);
                    weight(a).addi(delta);
                }
                a.setMerged(true);
            }
        }
    }

    /** Takes s·B·A out of every merged weight again. */
    public void unmerge() {
        for (LoraAdapter a : adapters.values()) {
            if (a.merged()) {
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray delta = a.deltaWeight(false);
                    delta.attach(scope);
                    weight(a).subi(delta);
                }
                a.setMerged(false);
            }
        }
    }

    private NDArray weight(LoraAdapter a) {
        return targets.get(a.path()).weight().array();
    }

    /**
     * Removes the adapters without merging (for PiSSA the base then holds W_res) and freezes the heads with their
     * trained values.
     *
     * @return the bare model
     */
    public PretrainedModel unload() {
        for (LoraAdapter a : adapters.values()) {
            Linear linear = targets.get(a.path());
            if (linear.detach(adapterName) != null) {
                a.close();
            }
        }
        for (Linear head : heads.values()) {
            head.clearReferenceCopy();
            head.weight().setTrainable(false);
            if (head.bias() != null) {
                head.bias().setTrainable(false);
            }
        }
        return model;
    }

    /** Merges (safely), then unloads: the plain model with the trained update in its weights. */
    public PretrainedModel mergeAndUnload() {
        merge(true);
        return unload();
    }
}
