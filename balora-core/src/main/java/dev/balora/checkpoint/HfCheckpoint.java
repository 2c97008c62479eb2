package dev.balora.checkpoint;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Hugging Face model directory: {@code config.json}, weights in {@code model.safetensors} or shards behind
 * {@code model.safetensors.index.json}, and optionally {@code tokenizer.json}.
 */
public final class HfCheckpoint implements AutoCloseable {
    /** The single-file weights name. */
    public static final String WEIGHTS = "model.safetensors";
    /** The shard index name. */
    public static final String INDEX = "model.safetensors.index.json";
    /** The configuration name. */
    public static final String CONFIG = "config.json";
    /** The tokenizer name. */
    public static final String TOKENIZER = "tokenizer.json";

    private final Path directory;
    private final JsonObject config;
    private final TensorSource tensors;

    private HfCheckpoint(Path directory, JsonObject config, TensorSource tensors) {
        this.directory = directory;
        this.config = config;
        this.tensors = tensors;
    }

    /**
     * Opens a model directory.
     *
     * @param directory the directory
     * @return the open checkpoint; close it to release the weight mappings
     * @throws CheckpointException when the directory, its config or its weights are missing or malformed
     */
    public static HfCheckpoint open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new CheckpointException(directory, null, "not a model directory");
        }
        JsonObject config = readConfig(directory.resolve(CONFIG));
        Path single = directory.resolve(WEIGHTS);
        Path index = directory.resolve(INDEX);
        TensorSource tensors;
        if (Files.isRegularFile(single)) {
            tensors = SafetensorsFile.open(single);
        } else if (Files.isRegularFile(index)) {
            tensors = ShardedTensors.open(index);
        } else if (Files.isRegularFile(directory.resolve("pytorch_model.bin"))) {
            throw new CheckpointException(directory, null, "holds only pytorch_model.bin (pickle), which balora does"
                    + " not read: convert it to " + WEIGHTS);
        } else {
            throw new CheckpointException(directory, null, "holds neither " + WEIGHTS + " nor " + INDEX);
        }
        return new HfCheckpoint(directory, config, tensors);
    }

    /**
     * Reads a {@code config.json}.
     *
     * @throws CheckpointException when it is missing or not a JSON object
     */
    public static JsonObject readConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, null, "config file is missing");
        }
        try {
            return JsonText.parse(Files.readString(file), false).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, null, "config is not a readable JSON object: " + e.getMessage(), e);
        }
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /** The parsed {@code config.json}. */
    public JsonObject config() {
        return config;
    }

    /** The {@code model_type} of the config. */
    public String modelType() {
        return configReader().string("model_type");
    }

    /** The {@code config.json} as a {@link ConfigReader} whose errors name the file. */
    public ConfigReader configReader() {
        return new ConfigReader(directory.resolve(CONFIG), config);
    }

    /** The weights. */
    public TensorSource tensors() {
        return tensors;
    }

    /** The {@code tokenizer.json} beside the weights, if there is one. */
    public Optional<Path> tokenizerFile() {
        Path p = directory.resolve(TOKENIZER);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public void close() {
        tensors.close();
    }
}
