package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.fixtures.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code balora logits} and {@code balora generate} on aidreams260K print llama2.c run.c's logits and tokens. */
class LogitsAndGenerateCommandsReproduceRunC {

    static JsonObject reference() throws Exception {
        return JsonParser.parseString(Files.readString(SharedData.require("reference/aidreams260K-run-c.json")))
                .getAsJsonObject();
    }

    static JsonObject run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = BaloraApp.execute(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, "exit code");
        String text = buf.toString(StandardCharsets.UTF_8).trim();
        return JsonParser.parseString(text.substring(text.lastIndexOf('\n') + 1)).getAsJsonObject();
    }

    static String join(JsonArray a, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(a.get(i).getAsString());
        }
        return out.stream().collect(Collectors.joining(","));
    }

    @Test
    void logitsOfThe41TokenPromptWithin1e4() throws Exception {
        JsonObject ref = reference();
        JsonArray prompt = ref.getAsJsonArray("prompt");
        JsonObject out = run("logits", "--model", SharedData.require("models/aidreams260K").toString(),
                "--tokens", join(prompt, 0, prompt.size()));
        JsonArray rows = out.getAsJsonArray("logits");
        JsonArray expected = ref.getAsJsonArray("logits");
        assertEquals(41, rows.size());
        double worst = 0;
        for (int t = 0; t < 41; t++) {
            JsonArray row = rows.get(t).getAsJsonArray();
            assertEquals(512, row.size());
            for (int j = 0; j < 512; j++) {
                worst = Math.max(worst, Math.abs(row.get(j).getAsDouble()
                        - expected.get(t).getAsJsonArray().get(j).getAsDouble()));
            }
        }
        System.out.println("balora logits: max |diff| vs run.c = " + worst);
        assertTrue(worst < 1e-4, "max abs diff " + worst);
    }

    @Test
    void greedyGenerateAfterThePromptPrintsTheReferenceTokens() throws Exception {
        JsonObject ref = reference();
        JsonArray prompt = ref.getAsJsonArray("prompt");
        JsonArray greedy = ref.getAsJsonArray("greedy");
        JsonObject out = run("generate", "--model", SharedData.require("models/aidreams260K").toString(),
                "--tokens", join(prompt, 0, prompt.size()), "--max-new-tokens", "16", "--temperature", "0");
        assertEquals(join(greedy, 0, 16), join(out.getAsJsonArray("tokens"), 0, 16));
        assertEquals(16, out.getAsJsonArray("tokens").size());
    }
}
