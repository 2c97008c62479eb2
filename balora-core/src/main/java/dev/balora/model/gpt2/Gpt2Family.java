package dev.balora.model.gpt2;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.ModelFamily;
import dev.balora.model.PretrainedModel;
import java.util.Set;

/** Registers GPT-2 (model_type gpt2): the LM head model or, by {@code architectures}, sequence classification. */
public final class Gpt2Family implements ModelFamily {

    @Override
    public Set<String> modelTypes() {
        return Set.of("gpt2");
    }

    @Override
    public PretrainedModel load(JsonObject config, TensorSource weights, NDManager manager) {
        Gpt2Config c = Gpt2Config.from(config, weights.location() + " (config.json)");
        return c.head() == Gpt2Config.Head.SEQUENCE_CLASSIFICATION
                ? Gpt2ForSequenceClassification.load(c, weights, manager)
                : Gpt2LMHeadModel.load(c, weights, manager);
    }
}
