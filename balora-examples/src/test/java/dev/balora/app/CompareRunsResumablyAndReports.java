package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code balora compare} runs every (method, seed) through the recipe and writes compare.json, compare.md and
 * compare.png; rerun after a run lost its summary (as a kill leaves it), it redoes that run only, from its
 * checkpoints, and reports the same numbers; other settings in the same folder are refused.
 */
class CompareRunsResumablyAndReports {

    @Test
    void compareThenContinue(@TempDir Path tmp) throws Exception {
        Path data = RunFolders.demoData(tmp.resolve("data"));
        Path out = tmp.resolve("cmp");
        String[] args = {"compare", "--task", "sst2", "--data", data.toString(), "--methods", "lora,pissa",
            "--seeds", "2", "--train-limit", "32", "--max-length", "24", "--max-steps", "3", "--batch-size", "8",
            "--targets", "query,value", "--baseline", "balora", "--out", out.toString()};
        // A baseline that is not a contestant is refused before any work.
        AppRun refused = AppRun.run(TestCache.dir(), args);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("--baseline balora is not among --methods [lora, pissa]"), refused.err());
        assertTrue(!Files.exists(out.resolve("runs")), "nothing ran");

        String[] ok = {"compare", "--task", "sst2", "--data", data.toString(), "--methods", "lora,pissa",
            "--seeds", "2", "--train-limit", "32", "--max-length", "24", "--max-steps", "3", "--batch-size", "8",
            "--targets", "query,value", "--checkpoint-every", "1", "--out", tmp.resolve("cmp2").toString()};
        AppRun first = AppRun.run(TestCache.dir(), ok);
        assertEquals(0, first.code(), first.err());
        Path cmp = tmp.resolve("cmp2");
        for (String f : List.of("compare.json", "compare.md", "compare.png", "compare-settings.json",
                "runs/lora/seed-1/summary.json", "runs/lora/seed-2/summary.json", "runs/pissa/seed-1/summary.json",
                "runs/pissa/seed-2/summary.json")) {
            assertTrue(Files.isRegularFile(cmp.resolve(f)), f);
        }
        assertTrue(first.err().contains("estimate: 4 of 4 runs to do"), first.err());
        JsonObject report = JsonParser.parseString(Files.readString(cmp.resolve("compare.json"))).getAsJsonObject();
        assertEquals(JsonParser.parseString(first.out()), report, "stdout's last line is compare.json");
        String table = Files.readString(cmp.resolve("compare.md"));
        assertTrue(table.contains("| lora (baseline) |") && table.contains("| pissa |"), table);
        // The table's means are those of the runs' own summaries.
        double[] lora = {accuracy(cmp.resolve("runs/lora/seed-1")), accuracy(cmp.resolve("runs/lora/seed-2"))};
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.4f", (lora[0] + lora[1]) / 2)), table);

        // A kill leaves a run without its summary: only that run is redone, from its last checkpoint.
        Path killed = cmp.resolve("runs/pissa/seed-2");
        double[] losses = RunFolders.losses(killed);
        Files.delete(killed.resolve("summary.json"));
        Files.writeString(killed.resolve("checkpoints/latest"), "step-0000002");
        FileTime untouched = Files.getLastModifiedTime(cmp.resolve("runs/lora/seed-1/metrics.jsonl"));
        AppRun second = AppRun.run(TestCache.dir(), ok);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("estimate: 1 of 4 runs to do"), second.err());
        assertTrue(second.err().contains("pissa seed 2 (4/4): continuing from its checkpoints"), second.err());
        assertEquals(untouched, Files.getLastModifiedTime(cmp.resolve("runs/lora/seed-1/metrics.jsonl")),
                "a finished run is not redone");
        assertArrayEquals(losses, RunFolders.losses(killed), 1e-6, "the continued run repeats its steps");
        assertEquals(report.get("runs"), JsonParser.parseString(Files.readString(cmp.resolve("compare.json")))
                .getAsJsonObject().get("runs"), "the same runs and metrics");

        String[] other = ok.clone();
        other[List.of(ok).indexOf("--batch-size") + 1] = "4";
        AppRun changed = AppRun.run(TestCache.dir(), other);
        assertEquals(1, changed.code());
        assertTrue(changed.err().contains("holds a comparison with other settings"), changed.err());
    }

    private static double accuracy(Path run) throws Exception {
        return JsonParser.parseString(Files.readString(run.resolve("summary.json"))).getAsJsonObject()
                .getAsJsonObject("metrics").get("accuracy").getAsDouble();
    }
}
