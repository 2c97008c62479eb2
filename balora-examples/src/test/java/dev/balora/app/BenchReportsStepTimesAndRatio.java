package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * {@code balora bench} on a tiny shape: per-method median step time (the median of the printed step times),
 * tokens/s = batch * length / median, peak RSS, and the BA-LoRA/PiSSA ratio of the two medians.
 */
class BenchReportsStepTimesAndRatio {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, BenchCommand.median(new double[] {3, 1, 2}));
        assertEquals(2.5, BenchCommand.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void tinyBenchPrintsConsistentJson() {
        AppRun r = AppRun.run(TestCache.dir(), "bench", "--batch-size", "2", "--seq-len", "8", "--warmup-steps",
                "1", "--steps", "3", "--methods", "pissa,balora", "--init", "pissa-fast", "--niter", "2");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(3, json.get("measured_steps").getAsInt());
        JsonObject methods = json.getAsJsonObject("methods");
        double[] medians = new double[2];
        String[] names = {"pissa", "balora"};
        for (int i = 0; i < 2; i++) {
            JsonObject m = methods.getAsJsonObject(names[i]);
            JsonArray steps = m.getAsJsonArray("step_seconds");
            assertEquals(3, steps.size(), "warm-up steps are not timed");
            double[] s = new double[3];
            for (int k = 0; k < 3; k++) {
                s[k] = steps.get(k).getAsDouble();
            }
            medians[i] = m.get("median_step_seconds").getAsDouble();
            assertEquals(BenchCommand.median(s), medians[i], 0.0);
            assertEquals(2 * 8 / medians[i], m.get("tokens_per_second").getAsDouble(), 1e-9);
            assertTrue(m.get("peak_rss_mib").getAsDouble() > 50, "peak RSS " + m);
        }
        assertEquals(medians[1] / medians[0], json.get("balora_over_pissa_step_time").getAsDouble(), 1e-12);
    }
}
