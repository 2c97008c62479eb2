package dev.balora.model;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.TensorSource;
import java.util.Set;

/** One architecture family: which {@code model_type}s it serves and how it builds a model from weights. */
public interface ModelFamily {

    /** The Hugging Face {@code model_type} values this family loads. */
    Set<String> modelTypes();

    /**
     * Builds the model.
     *
     * @param config the parsed {@code config.json}
     * @param weights the checkpoint tensors (Hugging Face names)
     * @param manager owner of the loaded weights (the model takes it over)
     * @return the model
     */
    PretrainedModel load(JsonObject config, TensorSource weights, NDManager manager);
}
