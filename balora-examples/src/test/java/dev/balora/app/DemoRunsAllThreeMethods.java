package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code balora demo --max-steps 2}: the bundled data are unpacked, LoRA, PiSSA and BA-LoRA each train and are
 * scored on the 66 held-out sentences, and the table lists the three runs with the output folder.
 */
class DemoRunsAllThreeMethods {
    @TempDir
    Path tmp;

    @Test
    void demoPrintsTheComparisonAndWritesEachRun() throws Exception {
        Path out = tmp.resolve("demo");
        AppRun r = AppRun.run(TestCache.dir(), "demo", "--max-steps", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\\R");
        assertTrue(lines[0].startsWith("method") && lines[0].contains("accuracy"), r.out());
        assertTrue(lines[1].startsWith("lora ") && lines[2].startsWith("pissa ") && lines[3].startsWith("balora "),
                r.out());
        assertTrue(r.out().contains("Outputs: " + out.toAbsolutePath()), r.out());
        assertEquals(313, Files.readAllLines(out.resolve("data/train.tsv")).size(), "header + 312 sentences");
        JsonArray runs = JsonParser.parseString(Files.readString(out.resolve("comparison.json"))).getAsJsonObject()
                .getAsJsonArray("runs");
        String[] methods = {"lora", "pissa", "balora"};
        for (int i = 0; i < 3; i++) {
            JsonObject run = runs.get(i).getAsJsonObject();
            assertEquals(methods[i], run.get("method").getAsString());
            assertEquals(2, run.get("steps").getAsInt());
            assertEquals(66, run.get("eval_examples").getAsInt());
            double acc = run.getAsJsonObject("metrics").get("accuracy").getAsDouble();
            assertTrue(acc >= 0 && acc <= 1 && lines[i + 1].contains(String.format("%.4f", acc)), r.out());
            assertTrue(Files.isRegularFile(out.resolve(methods[i]).resolve("summary.json")));
        }
        assertTrue(Files.isRegularFile(out.resolve("pissa/adapter-lora/adapter_model.safetensors")));
    }
}
