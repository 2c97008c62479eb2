package dev.balora.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.model.TinyCheckpoints;
import dev.balora.nn.Activation;
import dev.balora.nn.RopeScaling;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** LlamaConfig applies each variant's Hugging Face defaults and names the file and key of a bad value. */
class LlamaConfigRejectsInconsistentValues {

    static JsonObject config(String name) throws Exception {
        return JsonParser.parseString(Files.readString(TinyCheckpoints.dir(name).resolve("config.json")))
                .getAsJsonObject();
    }

    @Test
    void variantDefaults() throws Exception {
        LlamaConfig gemma = LlamaConfig.from(config("gemma"), "gemma/config.json");
        assertTrue(gemma.tieWordEmbeddings());
        assertTrue(gemma.gemmaStyle());
        assertEquals(12, gemma.headDim());
        assertEquals(Activation.GELU_TANH, gemma.activation());
        LlamaConfig qwen = LlamaConfig.from(config("qwen2"), "qwen2/config.json");
        assertTrue(qwen.qkvBias());
        assertTrue(!qwen.outputBias());
        LlamaConfig llama = LlamaConfig.from(config("llama-gqa"), "llama/config.json");
        assertEquals(RopeScaling.Type.LLAMA3, llama.ropeScaling().type());
        assertTrue(!llama.tieWordEmbeddings());
    }

    @Test
    void badValuesNameFileAndKey() throws Exception {
        JsonObject c = config("llama-gqa");
        c.addProperty("num_key_value_heads", 3);
        CheckpointException e = assertThrows(CheckpointException.class, () -> LlamaConfig.from(c, "x/config.json"));
        assertTrue(e.getMessage().contains("x/config.json") && e.getMessage().contains("num_key_value_heads"),
                e.getMessage());
        JsonObject d = config("llama-gqa");
        d.getAsJsonObject("rope_scaling").addProperty("rope_type", "yarn");
        e = assertThrows(CheckpointException.class, () -> LlamaConfig.from(d, "y/config.json"));
        assertTrue(e.getMessage().contains("yarn") && e.getMessage().contains("llama3"), e.getMessage());
    }
}
