package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.fixtures.CheckpointDirBuilder;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Hugging Face model directory opens with its config, weights and tokenizer; what is missing is named. */
class ModelDirectoriesOpen {
    @TempDir
    Path dir;

    @Test
    void singleFileDirectory() throws IOException {
        Path tok = Files.writeString(dir.resolve("tok.json"), "{}");
        Path model = new CheckpointDirBuilder()
                .config("{\"model_type\": \"bert\", \"hidden_size\": 8}")
                .weights(new SafetensorsFileBuilder().f32("w", new long[] {2}, 1, 2))
                .tokenizer(tok)
                .write(dir.resolve("m"));
        try (HfCheckpoint ck = HfCheckpoint.open(model)) {
            assertEquals("bert", ck.modelType());
            assertEquals(8, ck.configReader().positiveInt("hidden_size"));
            assertInstanceOf(SafetensorsFile.class, ck.tensors());
            assertArrayEquals(new float[] {1, 2}, ck.tensors().readFloats("w"));
            assertEquals(Optional.of(model.resolve("tokenizer.json")), ck.tokenizerFile());
        }
    }

    @Test
    void missingModelTypeIsNamed() {
        Path model = new CheckpointDirBuilder().config("{}")
                .weights(new SafetensorsFileBuilder().f32("w", new long[] {1}, 1)).write(dir.resolve("m"));
        try (HfCheckpoint ck = HfCheckpoint.open(model)) {
            assertNamed(ck::modelType, model.resolve("config.json"), null, "\"model_type\"");
            assertTrue(ck.tokenizerFile().isEmpty());
        }
    }

    @Test
    void missingConfigIsNamed() throws IOException {
        Path model = new CheckpointDirBuilder()
                .weights(new SafetensorsFileBuilder().f32("w", new long[] {1}, 1)).write(dir.resolve("m"));
        Files.delete(model.resolve("config.json"));
        assertNamed(() -> HfCheckpoint.open(model), model.resolve("config.json"), null, "missing");
    }

    @Test
    void missingWeightsAreNamed() throws IOException {
        Path model = Files.createDirectories(dir.resolve("m"));
        Files.writeString(model.resolve("config.json"), "{}");
        assertNamed(() -> HfCheckpoint.open(model), model, null, "model.safetensors");
        Files.write(model.resolve("pytorch_model.bin"), new byte[] {1});
        assertNamed(() -> HfCheckpoint.open(model), model, null, "pytorch_model.bin");
    }

    @Test
    void notADirectory() {
        Path nowhere = dir.resolve("nowhere");
        assertNamed(() -> HfCheckpoint.open(nowhere), nowhere, null, "not a model directory");
    }
}
