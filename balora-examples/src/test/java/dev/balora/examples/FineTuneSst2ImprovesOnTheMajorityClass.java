package dev.balora.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.fixtures.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FineTuneSst2 example runs end to end: a few steps write the PEFT adapter and the metrics log; one epoch on
 * 1,024 sentences beats SST-2 dev's majority class, 444 / 872 = 0.509. Both train, so both are slow (the quick one
 * took 63-107 s on the shared 2 cores).
 */
@Tag("slow")
class FineTuneSst2ImprovesOnTheMajorityClass {

    @TempDir
    static Path cache;

    private static String previousCache;

    @BeforeAll
    static void useTemporaryCache() {
        previousCache = System.getProperty("balora.cache");
        System.setProperty("balora.cache", cache.toString());
    }

    @AfterAll
    static void restoreCache() {
        if (previousCache == null) {
            System.clearProperty("balora.cache");
        } else {
            System.setProperty("balora.cache", previousCache);
        }
    }

    @Test
    void aFewStepsWriteTheAdapterAndTheMetrics(@TempDir Path out) {
        Map<String, Double> dev = FineTuneSst2.run(SharedData.require("data/glue"), out, 32, 32);
        double accuracy = dev.get("accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + dev);
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_config.json")));
        assertTrue(Files.isRegularFile(out.resolve("metrics.jsonl")), "metrics.jsonl in " + out);
    }

    @Test
    void oneEpochOnASubsetBeatsTheMajorityClass(@TempDir Path out) {
        Map<String, Double> dev = FineTuneSst2.run(SharedData.require("data/glue"), out, 1024, 0);
        assertTrue(dev.get("accuracy") > 0.6, "SST-2 dev after one epoch on 1,024 sentences: " + dev);
    }
}
