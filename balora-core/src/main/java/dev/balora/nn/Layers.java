package dev.balora.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walks a layer tree: every layer, every parameter by state-dict key, every adapter-aware Linear by path. */
public final class Layers {

    private Layers() {}

    /** Every layer of the tree, parents before children. */
    public static List<Layer> all(Layer root) {
        List<Layer> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Layer layer, List<Layer> out) {
        out.add(layer);
        for (Layer child : layer.children()) {
            collect(child, out);
        }
    }

    /** Every parameter by its state-dict key ({@code path.name}). */
    public static Map<String, Param> parameters(Layer root) {
        Map<String, Param> out = new LinkedHashMap<>();
        for (Layer layer : all(root)) {
            for (Map.Entry<String, Param> e : layer.parameters().entrySet()) {
                out.put(key(layer.path(), e.getKey()), e.getValue());
            }
        }
        return out;
    }

    /** Every adapter-aware Linear by module path. */
    public static Map<String, Linear> linears(Layer root) {
        Map<String, Linear> out = new LinkedHashMap<>();
        for (Layer layer : all(root)) {
            if (layer instanceof Linear linear) {
                out.put(linear.path(), linear);
            }
        }
        return out;
    }

    /** Joins a module path and a local name with a dot, skipping the dot for the root. */
    public static String key(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * Number of elements of all parameters, optionally only the trainable ones. A tensor shared by two parameters
     * (a tied {@code lm_head} and embedding) counts once, as in PyTorch's {@code model.parameters()}.
     */
    public static long count(Layer root, boolean trainableOnly) {
        long n = 0;
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Param p : parameters(root).values()) {
            if ((!trainableOnly || p.trainable()) && seen.add(p.array())) {
                n += p.shape().size();
            }
        }
        return n;
    }
}
