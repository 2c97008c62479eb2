package dev.balora.onnx;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.checkpoint.SafetensorsWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * An imported encoder: Hugging Face tensors and configuration, plus the tokenizer when one came with it.
 *
 * @param tensors the weights under their Hugging Face names and layouts
 * @param config the inferred {@code config.json}
 * @param tokenizerJson the bytes of {@code tokenizer.json}, or null
 * @param source where the graph came from
 */
public record ImportedModel(InMemoryTensors tensors, JsonObject config, byte[] tokenizerJson, String source) {

    /**
     * Writes a Hugging Face model directory: {@code config.json}, {@code model.safetensors} (F32) and, when
     * known, {@code tokenizer.json}. Each file is written atomically.
     *
     * @param directory the target directory (created when missing)
     */
    public void writeTo(Path directory) {
        SafetensorsWriter.write(directory.resolve(HfCheckpoint.WEIGHTS), tensors, dev.balora.checkpoint.DType.F32,
                Map.of("source", "balora import-onnx " + source));
        if (tokenizerJson != null) {
            AtomicFiles.write(directory.resolve(HfCheckpoint.TOKENIZER), out -> out.write(tokenizerJson));
        }
        // The config goes last: a directory with a config.json is a complete one.
        AtomicFiles.writeString(directory.resolve(HfCheckpoint.CONFIG),
                new GsonBuilder().setPrettyPrinting().create().toJson(config) + "\n");
    }
}
