package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The process's resident memory after step 500 is within 5 % of what it was after step 50 (Linux only). */
@Tag("slow")
class NativeMemoryIsFlatOverSteps {

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status (this test needs Linux)", e);
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }

    @Test
    void rssAtStep500IsWithinFivePercentOfStep50() {
        long[] rss = new long[2];
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0.1f);
            TrainerConfig config = TrainerRuns.config().setBatchSize(16).optGradientAccumulation(2).optEpochs(250)
                    .optEvalAtEpochEnd(false).build(); // 64 examples: 2 steps per epoch, 500 steps
            TrainerRuns.run(model, new CrossEntropyTask(model), new FeatureData(64, 3, BatchOrder.BUCKETED), config,
                    null, r -> {
                        if (r.step() == 50 || r.step() == 500) {
                            System.gc();
                            rss[r.step() == 50 ? 0 : 1] = rssKb();
                        }
                    });
        }
        System.out.printf("RSS after step 50: %d kB, after step 500: %d kB%n", rss[0], rss[1]);
        assertTrue(rss[1] <= rss[0] * 1.05, "RSS grew from " + rss[0] + " kB to " + rss[1] + " kB");
    }
}
