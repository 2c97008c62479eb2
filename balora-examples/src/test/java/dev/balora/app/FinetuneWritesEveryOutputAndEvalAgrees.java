package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few BA-LoRA steps on the bundled sentences through {@code balora finetune} write every promised file;
 * {@code balora eval} of the output (PiSSA adapter converted to LoRA, put on the unmodified base) reproduces the
 * trained model's dev accuracy; and a run resumed from its step-2 checkpoint repeats steps 3 and 4 exactly.
 */
class FinetuneWritesEveryOutputAndEvalAgrees {
    @TempDir
    Path tmp;

    @Test
    void finetuneThenEvalThenResume() throws Exception {
        Path cache = TestCache.dir();
        Path data = Files.createDirectories(tmp.resolve("data"));
        copy("train.tsv", data.resolve("train.tsv"));
        // A malformed row (no label column): skipped with a warning under --bad-rows skip.
        Files.writeString(data.resolve("train.tsv"), "a row without its label\n", StandardOpenOption.APPEND);
        copy("heldout.tsv", data.resolve("dev.tsv"));
        Path out = tmp.resolve("run");
        AppRun ft = AppRun.run(cache, "finetune", "--task", "sst2", "--data", data.toString(), "--out",
                out.toString(), "--method", "balora", "--max-steps", "4", "--checkpoint-every", "2", "--batch-size",
                "8", "--max-length", "24", "--train-limit", "64", "--targets", "query,value", "--init", "pissa-fast", "--niter", "2",
                "--lr", "1e-3", "--preset", "nlu-early-script", "--pooling", "cls",
                "--bad-rows", "skip");
        assertEquals(0, ft.code(), ft.err());
        assertTrue(ft.err().contains(data.resolve("train.tsv") + ":"), "the skipped row is named: " + ft.err());
        JsonObject summary = JsonParser.parseString(ft.out()).getAsJsonObject();
        assertEquals(summary, JsonParser.parseString(Files.readString(out.resolve("summary.json"))));
        assertEquals(4, summary.get("steps").getAsInt());
        assertEquals("cls", summary.getAsJsonObject("details").get("classifier_pooling").getAsString());
        assertEquals(66, summary.get("eval_examples").getAsInt());
        assertEquals("classification", summary.get("kind").getAsString());
        double accuracy = summary.getAsJsonObject("metrics").get("accuracy").getAsDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        assertTrue(summary.get("wall_seconds").getAsDouble() > 0);
        for (String f : List.of("run.json", "metrics.jsonl", "eval.jsonl", "loss-curve.png", "summary.json",
                "adapter/adapter_config.json", "adapter/adapter_model.safetensors",
                "adapter/balora_initial_adapter.safetensors", "adapter-lora/adapter_config.json",
                "adapter-lora/adapter_model.safetensors", "checkpoints/latest")) {
            assertTrue(Files.isRegularFile(out.resolve(f)) && Files.size(out.resolve(f)) > 0, f);
        }
        byte[] png = Files.readAllBytes(out.resolve("loss-curve.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        List<JsonObject> steps = lines(out.resolve("metrics.jsonl"));
        assertEquals(4, steps.size());
        assertTrue(steps.get(3).getAsJsonObject("terms").has("consistency"), "BA-LoRA terms are logged");
        JsonObject loraConfig = JsonParser
                .parseString(Files.readString(out.resolve("adapter-lora/adapter_config.json")))
                .getAsJsonObject();
        assertEquals(16, loraConfig.get("r").getAsInt(), "the converted adapter has rank 2r");

        AppRun ev = AppRun.run(cache, "eval", "--adapter", out.toString(), "--task", "sst2", "--data",
                data.toString());
        assertEquals(0, ev.code(), ev.err());
        JsonObject metrics = JsonParser.parseString(ev.out()).getAsJsonObject();
        assertEquals(24, metrics.get("max_length").getAsInt(), "eval takes the run's max length");
        assertEquals("cls", metrics.get("classifier_pooling").getAsString(), "eval takes the run's head pooling");
        assertEquals(accuracy, metrics.getAsJsonObject("metrics").get("accuracy").getAsDouble(), 1e-12);

        // Interrupt after step 2 in effect: point 'latest' back at step 2 and resume.
        Files.writeString(out.resolve("checkpoints/latest"), "step-0000002");
        AppRun resumed = AppRun.run(cache, "finetune", "--resume", out.toString());
        assertEquals(0, resumed.code(), resumed.err());
        List<JsonObject> again = lines(out.resolve("metrics.jsonl"));
        assertEquals(4, again.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(steps.get(i).get("loss").getAsDouble(), again.get(i).get("loss").getAsDouble(), 1e-6,
                    "loss of step " + (i + 1));
        }
        JsonObject second = JsonParser.parseString(resumed.out()).getAsJsonObject();
        assertEquals(accuracy, second.getAsJsonObject("metrics").get("accuracy").getAsDouble(), 1e-12);
        assertEquals(summary.getAsJsonObject("initial_metrics"), second.getAsJsonObject("initial_metrics"),
                "the resumed run reports the evaluation before training that the first part logged");
    }

    private static List<JsonObject> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static void copy(String resource, Path target) throws Exception {
        try (InputStream in = FinetuneWritesEveryOutputAndEvalAgrees.class.getResourceAsStream(
                "/dev/balora/demo/" + resource)) {
            Files.copy(in, target);
        }
    }
}
