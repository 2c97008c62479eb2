package dev.balora.model;

import ai.djl.ndarray.NDManager;
import dev.balora.nn.Layer;
import dev.balora.nn.Param;
import java.util.Map;
import java.util.Set;

/** A loaded Hugging Face model: the root of its layer tree, owning its weights through one NDManager. */
public interface PretrainedModel extends Layer, AutoCloseable {

    /** The Hugging Face {@code model_type} it was loaded as, e.g. {@code bert}, {@code llama}. */
    String modelType();

    /** The manager that owns every weight of the model; closing the model closes it. */
    NDManager manager();

    /**
     * Module paths of the output heads ({@code lm_head}, {@code classifier}): excluded from {@code all-linear}
     * adapter targeting and candidates for {@code modules_to_save}.
     */
    Set<String> outputHeadPaths();

    /** A loaded model is the root of its tree: its module path is empty. */
    @Override
    default String path() {
        return "";
    }

    /** A root holds no parameters itself; its weights live in its children. */
    @Override
    default Map<String, Param> parameters() {
        return Map.of();
    }

    @Override
    default void close() {
        manager().close();
    }
}
