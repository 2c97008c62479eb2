package dev.balora.model.llama;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.ModelFamily;
import dev.balora.model.PretrainedModel;
import java.util.LinkedHashSet;
import java.util.Set;

/** Registers the Llama architecture for the model types llama, mistral, qwen2 and gemma. */
public final class LlamaFamily implements ModelFamily {

    @Override
    public Set<String> modelTypes() {
        return new LinkedHashSet<>(LlamaVariant.modelTypes());
    }

    @Override
    public PretrainedModel load(JsonObject config, TensorSource weights, NDManager manager) {
        return LlamaForCausalLM.load(LlamaConfig.from(config, weights.location() + " (config.json)"), weights,
                manager);
    }
}
