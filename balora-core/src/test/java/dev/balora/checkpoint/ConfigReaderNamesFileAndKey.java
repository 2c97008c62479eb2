package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed config access: good values come back typed; every bad or missing one names the file and the key. */
class ConfigReaderNamesFileAndKey {
    @TempDir
    Path dir;
    Path file;
    ConfigReader config;

    @BeforeEach
    void write() throws IOException {
        file = dir.resolve("config.json");
        Files.writeString(file, """
                {
                  "model_type": "bert",
                  "hidden_size": 384,
                  "num_layers_as_float": 6.0,
                  "layer_norm_eps": 1e-12,
                  "dropout": 0.1,
                  "fraction": 7.5,
                  "huge": 1e12,
                  "negative": -3,
                  "zero": 0,
                  "quoted_int": "384",
                  "hidden_act": "gelu",
                  "act_number": 5,
                  "tie_word_embeddings": true,
                  "bool_as_string": "true",
                  "eos_token_id": [2, 32000],
                  "bos_token_id": 1,
                  "bad_list": [1, "x"],
                  "rope_scaling": {"type": "linear", "factor": "two"},
                  "nothing": null
                }
                """);
        config = ConfigReader.read(file);
    }

    @Test
    void goodValuesAreTyped() {
        assertEquals("bert", config.string("model_type"));
        assertEquals(384, config.positiveInt("hidden_size"));
        assertEquals(6, config.positiveInt("num_layers_as_float"));
        assertEquals(1e-12, config.number("layer_norm_eps"));
        assertEquals(-3, config.integer("negative", 0));
        assertEquals(12, config.positiveInt("absent", 12));
        assertEquals(12, config.positiveInt("nothing", 12));
        assertEquals("gelu", config.oneOf("hidden_act", "relu", "gelu", "relu", "silu"));
        assertTrue(config.bool("tie_word_embeddings", false));
        assertEquals(List.of(2, 32000), config.intList("eos_token_id"));
        assertEquals(List.of(1), config.intList("bos_token_id"));
        assertEquals(List.of(), config.intList("absent"));
        assertEquals("linear", config.object("rope_scaling").string("type"));
        assertNull(config.object("absent"));
        assertFalse(config.has("nothing"));
    }

    @Test
    void missingRequiredKey() {
        assertNamed(() -> config.positiveInt("num_attention_heads"), file, null, "\"num_attention_heads\"",
                "missing");
        assertNamed(() -> config.string("nothing"), file, null, "\"nothing\"", "missing");
    }

    @Test
    void wrongTypes() {
        assertNamed(() -> config.positiveInt("fraction"), file, null, "\"fraction\"", "integer", "7.5");
        assertNamed(() -> config.positiveInt("huge"), file, null, "\"huge\"", "integer");
        assertNamed(() -> config.positiveInt("quoted_int"), file, null, "\"quoted_int\"", "integer");
        assertNamed(() -> config.number("hidden_act"), file, null, "\"hidden_act\"", "number");
        assertNamed(() -> config.string("act_number"), file, null, "\"act_number\"", "string");
        assertNamed(() -> config.bool("bool_as_string", false), file, null, "\"bool_as_string\"", "true or false");
        assertNamed(() -> config.object("hidden_size"), file, null, "\"hidden_size\"", "object");
        assertNamed(() -> config.intList("bad_list"), file, null, "\"bad_list\"", "integer");
    }

    @Test
    void outOfRangeValues() {
        assertNamed(() -> config.positiveInt("negative"), file, null, "\"negative\"", "positive", "-3");
        assertNamed(() -> config.positiveInt("zero"), file, null, "\"zero\"", "positive");
        assertNamed(() -> config.oneOf("hidden_act", "relu", "relu", "silu"), file, null, "\"hidden_act\"",
                "[relu, silu]", "gelu");
    }

    @Test
    void nestedKeysNameTheirParent() {
        ConfigReader rope = config.object("rope_scaling");
        assertNamed(() -> rope.number("factor"), file, null, "rope_scaling", "\"factor\"", "number");
    }

    @Test
    void nonFiniteNumbersAreRefused() throws IOException {
        // Python's json module writes NaN and Infinity; they are not JSON and not usable hyper-parameters.
        Path f = dir.resolve("nan.json");
        Files.writeString(f, "{\"layer_norm_eps\": NaN, \"scale\": Infinity}");
        ConfigReader c = ConfigReader.read(f);
        assertNamed(() -> c.number("layer_norm_eps"), f, null, "\"layer_norm_eps\"");
        assertNamed(() -> c.number("scale", 1.0), f, null, "\"scale\"");
    }

    @Test
    void missingOrMalformedFile() throws IOException {
        Path absent = dir.resolve("absent.json");
        assertNamed(() -> ConfigReader.read(absent), absent, null, "missing");
        Path list = Files.writeString(dir.resolve("list.json"), "[1, 2]");
        assertNamed(() -> ConfigReader.read(list), list, null, "JSON object");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"a\": ");
        assertNamed(() -> ConfigReader.read(garbage), garbage, null, "JSON object");
        Path deep = Files.writeString(dir.resolve("deep.json"), "{\"a\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        assertNamed(() -> ConfigReader.read(deep), deep, null, "nested deeper");
    }
}
