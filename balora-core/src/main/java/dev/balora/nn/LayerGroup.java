package dev.balora.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A layer with children and no parameters of its own (Hugging Face's {@code model}, {@code model.layers}). */
public final class LayerGroup implements Layer {
    private final String path;
    private final List<Layer> children;

    /**
     * Creates the group.
     *
     * @param path the Hugging Face module path
     * @param children its children, in order
     */
    public LayerGroup(String path, List<? extends Layer> children) {
        this.path = path;
        this.children = List.copyOf(new ArrayList<>(children));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return children;
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }
}
