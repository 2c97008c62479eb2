package dev.balora.model.llama;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.fixtures.SharedData;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.TinyCheckpoints;
import dev.balora.nn.ForwardContext;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The BF16 copy of aidreams260K loads (widened to F32 in Java) and stays within 0.05 of run.c's logits. */
class Aidreams260KBf16StaysClose {

    @Test
    void bf16LogitsWithin005() throws Exception {
        JsonObject ref = JsonParser.parseString(Files.readString(
                SharedData.require("reference/aidreams260K-run-c.json"))).getAsJsonObject();
        int[] prompt = Aidreams260KMatchesLlama2c.ints(ref.getAsJsonArray("prompt"));
        double[][] expected = TinyCheckpoints.doubles2(ref.getAsJsonArray("logits"));
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(
                SharedData.require("models/aidreams260K-bf16"));
                NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.create(Arrays.stream(prompt).asLongStream().toArray(), new Shape(1, prompt.length));
            double diff = Aidreams260KMatchesLlama2c.maxDiff(
                    model.logits(ids, null, ForwardContext.INFERENCE).toFloatArray(), expected);
            System.out.println("aidreams260K-bf16 max |logit - run.c| = " + diff);
            assertTrue(diff < 0.05, "max abs diff " + diff);
            assertTrue(diff > 0, "BF16 rounding should change something; got an exact match");
        }
    }
}
