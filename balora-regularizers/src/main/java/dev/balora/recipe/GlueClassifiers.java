package dev.balora.recipe;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.GlueTask;
import dev.balora.model.bert.BertConfig;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.model.bert.ClassifierPooling;
import java.nio.file.Path;

/** Loads a BERT-family model directory as a classifier (or regressor) shaped for a GLUE task, with its tokenizer. */
public final class GlueClassifiers {

    private GlueClassifiers() {}

    /**
     * Loads the encoder with a head of {@code task.numLabels()} outputs; a head the checkpoint lacks (or one of
     * another size) is initialised from {@code seed}.
     *
     * @param modelDir a model directory with config.json and safetensors weights
     * @param task the task that fixes the head's size and loss
     * @param seed seeds a new head
     * @param pooling what the head reads
     * @param manager owns the weights
     * @throws CheckpointException when the directory is not a BERT/RoBERTa checkpoint
     */
    public static BertForSequenceClassification load(Path modelDir, GlueTask task, long seed,
            ClassifierPooling pooling, NDManager manager) {
        try (HfCheckpoint ckpt = HfCheckpoint.open(modelDir)) {
            String type = ckpt.modelType();
            if (!"bert".equals(type) && !"roberta".equals(type)) {
                throw new CheckpointException(modelDir.resolve(HfCheckpoint.CONFIG), null, "model_type '" + type
                        + "' is not supported for GLUE fine-tuning; use a bert or roberta encoder");
            }
            JsonObject cfg = ckpt.config().deepCopy();
            int labels = task.numLabels();
            boolean sameHead = cfg.has("num_labels") && cfg.get("num_labels").getAsInt() == labels
                    || cfg.has("id2label") && cfg.getAsJsonObject("id2label").size() == labels;
            if (!sameHead) {
                cfg.remove("id2label");
                cfg.remove("label2id");
            }
            cfg.addProperty("num_labels", labels);
            cfg.addProperty("problem_type", labels == 1 ? "regression" : "single_label_classification");
            BertConfig config = BertConfig.parse(modelDir.resolve(HfCheckpoint.CONFIG), cfg);
            return BertForSequenceClassification.load(config, ckpt.tensors(), manager, seed, pooling);
        }
    }

    /** The model's tokenizer with truncation to {@code maxLength} tokens. */
    public static TextEncoder encoder(Path modelDir, int maxLength) {
        Path file = modelDir.resolve(HfCheckpoint.TOKENIZER);
        if (!file.toFile().isFile()) {
            throw new CheckpointException(file, null, "tokenizer file is missing; fine-tuning needs it");
        }
        return TextEncoder.fromFile(file, maxLength);
    }
}
