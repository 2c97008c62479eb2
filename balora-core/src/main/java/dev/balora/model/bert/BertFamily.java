package dev.balora.model.bert;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.ModelFamily;
import dev.balora.model.PretrainedModel;
import java.util.Set;

/**
 * Loads {@code bert} and {@code roberta} checkpoints: a sequence classifier when {@code architectures} names one,
 * otherwise the bare encoder.
 */
public final class BertFamily implements ModelFamily {
    /** Seed of a classification head the checkpoint lacks. */
    public static final long DEFAULT_HEAD_SEED = 42;

    @Override
    public Set<String> modelTypes() {
        return Set.of("bert", "roberta");
    }

    @Override
    public PretrainedModel load(JsonObject config, TensorSource weights, NDManager manager) {
        BertConfig parsed = BertConfig.parse(weights.location() + " config", config);
        if (isSequenceClassifier(config)) {
            // A checkpoint that names a Hugging Face task architecture gets exactly that head: the pooler.
            return BertForSequenceClassification.load(parsed, weights, manager, DEFAULT_HEAD_SEED,
                    ClassifierPooling.POOLER);
        }
        return BertModel.load(parsed, weights, manager);
    }

    private static boolean isSequenceClassifier(JsonObject config) {
        if (!config.has("architectures") || !config.get("architectures").isJsonArray()) {
            return false;
        }
        for (JsonElement e : config.getAsJsonArray("architectures")) {
            if (e.isJsonPrimitive() && e.getAsString().endsWith("ForSequenceClassification")) {
                return true;
            }
        }
        return false;
    }
}
