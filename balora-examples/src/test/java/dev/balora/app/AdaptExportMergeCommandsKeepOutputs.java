package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.balora.fixtures.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On aidreams260K: {@code adapt --init pissa} writes a residual and an adapter whose logits together equal the
 * base model's; {@code export --to lora} gives an adapter for the ORIGINAL base with the same logits;
 * {@code merge} gives a plain checkpoint with the same logits.
 */
class AdaptExportMergeCommandsKeepOutputs {
    static final String TOKENS = "1,403,30,263,29,500,7,88";

    static double maxDiff(JsonObject a, JsonObject b) {
        JsonArray ra = a.getAsJsonArray("logits");
        JsonArray rb = b.getAsJsonArray("logits");
        assertEquals(ra.size(), rb.size());
        double worst = 0;
        for (int t = 0; t < ra.size(); t++) {
            JsonArray x = ra.get(t).getAsJsonArray();
            JsonArray y = rb.get(t).getAsJsonArray();
            for (int j = 0; j < x.size(); j++) {
                worst = Math.max(worst, Math.abs(x.get(j).getAsDouble() - y.get(j).getAsDouble()));
            }
        }
        return worst;
    }

    static JsonObject run(String... args) {
        return LogitsAndGenerateCommandsReproduceRunC.run(args);
    }

    @Test
    void pissaAdaptExportAndMergeKeepTheBaseLogits(@TempDir Path dir) {
        String base = SharedData.require("models/aidreams260K").toString();
        JsonObject adapt = run("adapt", "--model", base, "--init", "pissa", "--rank", "8", "--alpha", "8",
                "--targets", "all-linear", "--out", dir.toString());
        assertEquals(28, adapt.get("adapted_modules").getAsInt());
        assertTrue(Files.isRegularFile(dir.resolve("adapter/adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("adapter/adapter_config.json")));
        assertTrue(Files.isRegularFile(dir.resolve("residual/model.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("residual/config.json")));

        JsonObject expected = run("logits", "--model", base, "--tokens", TOKENS);
        JsonObject residualOnly = run("logits", "--model", dir.resolve("residual").toString(), "--tokens", TOKENS);
        JsonObject adapted = run("logits", "--model", dir.resolve("residual").toString(), "--adapter",
                dir.resolve("adapter").toString(), "--tokens", TOKENS);
        assertTrue(maxDiff(expected, residualOnly) > 1e-2, "the residual alone is not the base model");
        double d = maxDiff(expected, adapted);
        assertTrue(d <= 1e-4, "residual + adapter vs base: " + d);

        JsonObject export = run("export", "--model", base, "--adapter", dir.resolve("adapter").toString(), "--to",
                "lora", "--out", dir.resolve("lora").toString());
        assertEquals(16, export.get("r").getAsInt());
        double e = maxDiff(expected, run("logits", "--model", base, "--adapter", dir.resolve("lora").toString(),
                "--tokens", TOKENS));
        assertTrue(e <= 1e-4, "converted LoRA on the original base vs base: " + e);

        run("merge", "--model", dir.resolve("residual").toString(), "--adapter", dir.resolve("adapter").toString(),
                "--out", dir.resolve("merged").toString());
        double m = maxDiff(expected, run("logits", "--model", dir.resolve("merged").toString(), "--tokens", TOKENS));
        assertTrue(m <= 1e-4, "merged checkpoint vs base: " + m);
        System.out.printf("app on aidreams260K: residual+adapter %.3g, converted LoRA %.3g, merged %.3g%n", d, e, m);
    }
}
