package dev.balora.nn;

import java.util.List;
import java.util.Map;

/**
 * A node of a model's module tree, named by its Hugging Face module path.
 *
 * <p>State-dict keys are {@code path + "." + param name}, exactly as in the Hugging Face checkpoint.
 */
public interface Layer {

    /** The Hugging Face module path, e.g. {@code encoder.layer.0.attention.self.query}; "" for the root. */
    String path();

    /** Direct children, in a stable order. */
    List<? extends Layer> children();

    /** This layer's own parameters by local name (not its children's). */
    Map<String, Param> parameters();
}
