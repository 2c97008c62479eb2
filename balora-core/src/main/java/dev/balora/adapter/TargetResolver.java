package dev.balora.adapter;

import dev.balora.model.PretrainedModel;
import dev.balora.nn.Layer;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a configuration against a model: which Linears get an adapter and which Linears are trained heads,
 * with PEFT's matching rules and clear errors for names that match nothing, ranks that do not fit, and tied
 * weights that an in-place residual or a trained head would silently corrupt.
 */
public final class TargetResolver {

    private TargetResolver() {}

    /**
     * What a configuration selects in a model.
     *
     * @param targets adapted Linears by module path, in model order
     * @param heads trained heads (modules_to_save) by module path, in model order
     */
    public record Resolution(Map<String, Linear> targets, Map<String, Linear> heads) {}

    /**
     * Resolves and validates.
     *
     * @throws IllegalArgumentException naming the config field, the offending name or layer, and what exists
     */
    public static Resolution resolve(PretrainedModel model, AdapterConfig config) {
        Map<String, Linear> linears = Layers.linears(model);
        List<Layer> layers = Layers.all(model);
        Set<String> heads = model.outputHeadPaths();
        checkNamesExist("target_modules", config.targets(), layers, linears);
        if (config.exclude() != null) {
            checkNamesExist("exclude_modules", config.exclude(), layers, linears);
        }
        Map<String, Linear> saved = resolveHeads(model, config, layers);
        Map<String, Linear> selected = new LinkedHashMap<>();
        Set<Integer> candidateLayers = new TreeSet<>();
        boolean allLinear = config.targets() instanceof ModuleSelector.AllLinear;
        for (Map.Entry<String, Linear> e : linears.entrySet()) {
            String path = e.getKey();
            // As in PEFT, a module to save is trained in full and never also gets an adapter.
            if ((allLinear && heads.contains(path)) || saved.containsKey(path)) {
                continue;
            }
            if (config.targets().matches(path) && (config.exclude() == null || !config.exclude().matches(path))) {
                Integer layer = config.layerIndex(path);
                if (layer != null) {
                    candidateLayers.add(layer);
                }
                if (config.inTransformedLayer(path)) {
                    selected.put(path, e.getValue());
                }
            }
        }
        checkLayersExist(config, candidateLayers);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("target_modules " + config.targets().peftValue()
                    + (config.exclude() != null ? " minus exclude_modules " + config.exclude().peftValue() : "")
                    + (saved.isEmpty() ? "" : " outside modules_to_save " + config.modulesToSave())
                    + " matches no Linear of the " + model.modelType() + " model; its Linears are named "
                    + shortNames(linears.keySet()) + "; nearest paths: "
                    + NearestPaths.to(String.valueOf(config.targets().peftValue()), linears.keySet()));
        }
        Map<Object, List<String>> keys = keysByArray(model);
        for (Map.Entry<String, Linear> e : selected.entrySet()) {
            String path = e.getKey();
            Linear linear = e.getValue();
            int r = config.rankFor(path);
            long min = Math.min(linear.inFeatures(), linear.outFeatures());
            if (r > min) {
                throw new IllegalArgumentException("r = " + r + " for '" + path + "' exceeds min(in, out) = " + min
                        + " of that Linear [out=" + linear.outFeatures() + ", in=" + linear.inFeatures() + "]");
            }
            String owner = tiedWith(keys, linear);
            if (config.init().writesResidual() && owner != null) {
                throw new IllegalArgumentException("'" + path + "' shares its weight with '" + owner
                        + "' (tied weights): a PiSSA residual written in place would change both");
            }
        }
        for (Map.Entry<String, Linear> e : saved.entrySet()) {
            String owner = tiedWith(keys, e.getValue());
            if (owner != null) {
                throw new IllegalArgumentException("modules_to_save '" + e.getKey() + "' shares its weight with '"
                        + owner + "' (tied weights): training it would change both");
            }
        }
        return new Resolution(selected, saved);
    }

    /** Every index of layers_to_transform must name a layer that holds a targeted module. */
    private static void checkLayersExist(AdapterConfig config, Set<Integer> candidateLayers) {
        if (config.layersToTransform().isEmpty()) {
            return;
        }
        String where = config.layersPattern().isEmpty() ? "" : " under layers_pattern " + config.layersPattern();
        if (candidateLayers.isEmpty()) {
            throw new IllegalArgumentException("layers_to_transform " + config.layersToTransform()
                    + ": no module of target_modules " + config.targets().peftValue() + " has a layer index" + where
                    + " (a path segment followed by a number, as in 'model.layers.3.mlp.down_proj')");
        }
        for (Integer i : config.layersToTransform()) {
            if (!candidateLayers.contains(i)) {
                throw new IllegalArgumentException("layers_to_transform: layer " + i + " holds no module of "
                        + "target_modules " + config.targets().peftValue() + where + "; those lie in layers "
                        + candidateLayers);
            }
        }
    }

    private static Map<String, Linear> resolveHeads(PretrainedModel model, AdapterConfig config, List<Layer> layers) {
        Map<String, Linear> saved = new LinkedHashMap<>();
        for (String name : config.modulesToSave()) {
            boolean found = false;
            for (Layer layer : layers) {
                if (!layer.path().isEmpty() && ModuleSelector.Names.matchesName(layer.path(), name)) {
                    found = true;
                    for (Layer sub : Layers.all(layer)) {
                        if (sub instanceof Linear linear) {
                            saved.put(linear.path(), linear);
                        } else if (!sub.parameters().isEmpty()) {
                            throw new IllegalArgumentException("modules_to_save '" + name + "' holds '" + sub.path()
                                    + "', which is not a Linear; balora trains Linear heads only");
                        }
                    }
                }
            }
            if (!found) {
                throw new IllegalArgumentException("modules_to_save '" + name + "' matches no module of the "
                        + model.modelType() + " model; its output heads are " + model.outputHeadPaths());
            }
        }
        return saved;
    }

    private static void checkNamesExist(String field, ModuleSelector selector, List<Layer> layers,
            Map<String, Linear> linears) {
        if (!(selector instanceof ModuleSelector.Names names)) {
            return;
        }
        for (String name : names.names()) {
            boolean any = false;
            boolean linear = false;
            for (Layer layer : layers) {
                if (ModuleSelector.Names.matchesName(layer.path(), name)) {
                    any = true;
                    linear |= layer instanceof Linear;
                }
            }
            if (!any) {
                throw new IllegalArgumentException(field + ": unknown module name '" + name
                        + "'; the model's Linears are named " + shortNames(linears.keySet()) + "; nearest paths: "
                        + NearestPaths.to(name, linears.keySet()));
            }
            if (!linear && field.equals("target_modules")) {
                throw new IllegalArgumentException(field + ": '" + name + "' names no Linear (balora adapts Linears"
                        + " only); the model's Linears are named " + shortNames(linears.keySet()));
            }
        }
    }

    /** Every state-dict key of each parameter array, by array identity (tied weights hold two keys). */
    private static Map<Object, List<String>> keysByArray(PretrainedModel model) {
        Map<Object, List<String>> out = new IdentityHashMap<>();
        for (Map.Entry<String, Param> e : Layers.parameters(model).entrySet()) {
            out.computeIfAbsent(e.getValue().array(), k -> new ArrayList<>()).add(e.getKey());
        }
        return out;
    }

    /** Another key holding the same array as {@code linear}'s weight, or null when it is not tied. */
    private static String tiedWith(Map<Object, List<String>> keys, Linear linear) {
        String own = Layers.key(linear.path(), "weight");
        for (String k : keys.getOrDefault(linear.weight().array(), List.of())) {
            if (!k.equals(own)) {
                return k;
            }
        }
        return null;
    }

    private static Set<String> shortNames(Iterable<String> paths) {
        Set<String> names = new TreeSet<>();
        for (String p : paths) {
            names.add(p.substring(p.lastIndexOf('.') + 1));
        }
        return names;
    }
}
