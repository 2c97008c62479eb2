package dev.balora.model.bert;

import dev.balora.nn.Layer;
import dev.balora.nn.Param;
import java.util.List;
import java.util.Map;

/** A module of the Hugging Face tree that only groups children (e.g. {@code encoder.layer.0.attention}). */
final class BertNode implements Layer {
    private final String path;
    private final List<Layer> children;

    BertNode(String path, Layer... children) {
        this.path = path;
        this.children = List.of(children);
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
