package dev.balora.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.model.bert.BertConfig;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.nn.Layer;
import dev.balora.nn.Layers;
import dev.balora.nn.Param;
import dev.balora.onnx.ImportedModel;
import dev.balora.onnx.OnnxImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Test helper: all-MiniLM-L6-v2 (from its Maven jar) with a new classification head. */
final class MiniLmClassifiers {

    private MiniLmClassifiers() {}

    /** The imported encoder. */
    static ImportedModel imported() {
        return OnnxImport.fromClasspath("all-minilm-l6-v2");
    }

    /** A classifier with {@code labels} outputs and a head seeded by {@code seed}. */
    static BertForSequenceClassification classifier(ImportedModel im, int labels, NDManager manager, long seed) {
        JsonObject cfg = im.config().deepCopy();
        cfg.addProperty("num_labels", labels);
        BertConfig config = BertConfig.parse("all-minilm-l6-v2 (test)", cfg);
        return BertForSequenceClassification.load(config, im.tensors(), manager, seed);
    }

    /** Writes the tokenizer to a file. */
    static Path tokenizer(ImportedModel im, Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, im.tokenizerJson());
        return file;
    }

    /** Marks every parameter of the output heads (classifier, new pooler) trainable. */
    static void trainHeads(BertForSequenceClassification model) {
        for (String head : model.outputHeadPaths()) {
            for (Layer layer : Layers.all(model)) {
                if (layer.path().equals(head)) {
                    for (Map.Entry<String, Param> e : Layers.parameters(layer).entrySet()) {
                        e.getValue().setTrainable(true);
                    }
                }
            }
        }
    }
}
