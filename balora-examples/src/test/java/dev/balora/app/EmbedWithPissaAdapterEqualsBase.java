package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code balora adapt --init pissa-fast} on the embedded all-MiniLM-L6-v2, then {@code balora embed --model
 * OUT/residual --adapter OUT/adapter}, prints the base model's embeddings (max abs diff <= 1e-4). Slow: an import
 * and three model loads.
 */
@Tag("slow")
class EmbedWithPissaAdapterEqualsBase {
    @TempDir
    Path cache;

    @TempDir
    Path work;

    private String previousCache;

    @BeforeEach
    void useTemporaryCache() {
        previousCache = System.getProperty("balora.cache");
        System.setProperty("balora.cache", cache.toString());
    }

    @AfterEach
    void restoreCache() {
        if (previousCache == null) {
            System.clearProperty("balora.cache");
        } else {
            System.setProperty("balora.cache", previousCache);
        }
    }

    @Test
    void residualPlusAdapterEmbedsLikeTheBase() {
        JsonObject adapt = LogitsAndGenerateCommandsReproduceRunC.run("adapt", "--model", "all-minilm-l6-v2",
                "--init", "pissa-fast", "--rank", "8", "--alpha", "8", "--targets", "all-linear", "--niter", "4",
                "--seed", "0", "--out", work.toString());
        assertEquals(36, adapt.get("adapted_modules").getAsInt());
        String text = "PiSSA keeps the embeddings at step zero.";
        JsonArray base = LogitsAndGenerateCommandsReproduceRunC.run("embed", "--model", "all-minilm-l6-v2",
                "--text", text).getAsJsonArray("embeddings").get(0).getAsJsonArray();
        JsonArray adapted = LogitsAndGenerateCommandsReproduceRunC.run("embed", "--model",
                work.resolve("residual").toString(), "--adapter", work.resolve("adapter").toString(), "--text", text)
                .getAsJsonArray("embeddings").get(0).getAsJsonArray();
        assertEquals(base.size(), adapted.size());
        double worst = 0;
        for (int i = 0; i < base.size(); i++) {
            worst = Math.max(worst, Math.abs(base.get(i).getAsDouble() - adapted.get(i).getAsDouble()));
        }
        System.out.printf("embed residual + PiSSA-fast adapter vs base: max |diff| %.3g%n", worst);
        assertTrue(worst <= 1e-4, "diff " + worst);
    }
}
