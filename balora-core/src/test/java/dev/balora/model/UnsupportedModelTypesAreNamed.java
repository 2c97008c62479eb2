package dev.balora.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unknown model_type or architecture fails with a message listing what balora supports. */
class UnsupportedModelTypesAreNamed {

    @Test
    void unknownModelTypeListsSupportedTypes(@TempDir Path dir) throws IOException {
        Files.copy(TinyCheckpoints.dir("qwen2").resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"falcon\"}");
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> Models.load(dir));
        for (String t : new String[] {"falcon", "gemma", "gpt2", "llama", "mistral", "qwen2"}) {
            assertTrue(e.getMessage().contains(t), e.getMessage());
        }
    }

    @Test
    void unknownArchitectureListsSupportedHeads(@TempDir Path dir) throws IOException {
        Path tiny = TinyCheckpoints.dir("gpt2");
        Files.copy(tiny.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), Files.readString(tiny.resolve("config.json"))
                .replace("GPT2LMHeadModel", "GPT2ForTokenClassification"));
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> Models.load(dir));
        assertTrue(e.getMessage().contains("GPT2ForTokenClassification"), e.getMessage());
        assertTrue(e.getMessage().contains("GPT2ForSequenceClassification"), e.getMessage());
    }

    @Test
    void missingTensorsAreListedTogether(@TempDir Path dir) throws IOException {
        Path tiny = TinyCheckpoints.dir("llama-gqa");
        Files.copy(tiny.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        // Four layers in the config, two in the file: layers 2 and 3 are missing.
        Files.writeString(dir.resolve("config.json"), Files.readString(tiny.resolve("config.json"))
                .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 4"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> Models.load(dir));
        assertTrue(e.getMessage().contains("model.layers.2.self_attn.q_proj.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("model.layers.3.mlp.down_proj.weight"), e.getMessage());
    }
}
