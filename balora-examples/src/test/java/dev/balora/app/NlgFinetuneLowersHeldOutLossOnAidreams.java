package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.fixtures.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the app on aidreams260K: a BA-LoRA (PiSSA + NLG ICLR preset) fine-tune on token-id data
 * whose responses the base model ranks low lowers the held-out loss; metrics.jsonl logs every objective term; the
 * saved adapter, reloaded on the original base by {@code eval-nlg}, gives the same held-out loss and reproduces
 * the taught continuation by greedy decoding.
 */
class NlgFinetuneLowersHeldOutLossOnAidreams {
    /** A continuation the base model does not predict: rare token ids of its 512-token vocabulary. */
    static final int[] TAUGHT = {431, 77, 305, 498, 129, 260};

    private static int threads;

    @BeforeAll
    static void oneThread() {
        // Tiny tensors: on a shared 2-core box one intra-op thread is several times faster than two.
        ai.djl.engine.Engine.getInstance();
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threads);
    }

    static void writeData(Path file, int examples, long seed) throws Exception {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < examples; i++) {
            StringBuilder prompt = new StringBuilder("1");
            int n = 3 + r.nextInt(5);
            for (int k = 0; k < n; k++) {
                prompt.append(',').append(3 + r.nextInt(300));
            }
            StringBuilder response = new StringBuilder();
            for (int k = 0; k < TAUGHT.length; k++) {
                response.append(k == 0 ? "" : ",").append(TAUGHT[k]);
            }
            lines.add("{\"prompt_ids\": [" + prompt + "], \"response_ids\": [" + response + "]}");
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void balOraFineTuneThroughTheApp(@TempDir Path dir) throws Exception {
        Path model = SharedData.require("models/aidreams260K");
        Path train = dir.resolve("train.jsonl");
        Path eval = dir.resolve("eval.jsonl");
        writeData(train, 48, 1);
        writeData(eval, 12, 2);
        Path run = dir.resolve("run");
        JsonObject out = LogitsAndGenerateCommandsReproduceRunC.run("finetune", "--model", model.toString(),
                "--data", train.toString(), "--eval-data", eval.toString(), "--out", run.toString(),
                "--method", "balora", "--preset", "nlg-iclr", "--rank", "4", "--lr", "1e-2", "--epochs", "8",
                "--batch-size", "8", "--warmup-ratio", "0.1", "--seed", "7");
        assertEquals("causal-lm", out.get("kind").getAsString(), "the kind follows from the decoder and the JSONL");
        double before = out.getAsJsonObject("initial_metrics").get("eval_loss").getAsDouble();
        double after = out.getAsJsonObject("metrics").get("eval_loss").getAsDouble();
        assertTrue(before > 4, "the base model should rank the taught continuation low, loss " + before);
        assertTrue(after < 0.5 * before, "held-out loss " + before + " -> " + after);
        assertEquals(48, out.get("steps").getAsInt());
        // No step may be skipped: the intermittent NaN once seen here came from a DJL scalar freed while autograd
        // still needed it (fixed by dev.balora.objective.Scalars); a skip now is a bug to trace through the
        // trainer's "non-finite gradient in ..." warning, not noise.
        assertEquals(0, out.get("skipped_steps").getAsInt(), out.toString());

        List<String> lines = Files.readAllLines(Path.of(out.getAsJsonObject("outputs").get("metrics").getAsString()));
        assertEquals(48, lines.size());
        int withAllTerms = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonObject line = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertFalse(line.get("skipped").getAsBoolean(), "step " + (i + 1) + " skipped: " + line);
            JsonObject terms = line.getAsJsonObject("terms");
            JsonObject lambdas = line.getAsJsonObject("lambdas");
            for (String name : new String[] {"task", "consistency", "diversity", "svd"}) {
                assertTrue(lambdas.has(name), "step " + (i + 1) + " lambda of " + name + ": " + line);
            }
            assertTrue(terms.has("task") && terms.has("consistency"), "step " + (i + 1) + ": " + line);
            if (i == 0) {
                // PiSSA keeps the outputs and the reference pass uses the frozen A0/B0: KL(ref || ft) = 0.
                assertEquals(0, terms.get("consistency").getAsDouble(), 1e-6, line.toString());
            }
            double twoPhase = lambdas.get("svd").getAsDouble();
            assertEquals(twoPhase != 0, terms.has("svd"), "svd computed exactly when weighted: " + line);
            assertEquals(twoPhase != 0, terms.has("diversity"), "diversity computed exactly when weighted: " + line);
            withAllTerms += terms.size() == 4 ? 1 : 0;
        }
        assertTrue(withAllTerms >= 30, withAllTerms + " steps logged all four terms");
        JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        assertTrue(last.getAsJsonObject("terms").get("consistency").getAsDouble() > 1e-4,
                "consistency grows as the model leaves the reference: " + last);

        JsonObject ev = LogitsAndGenerateCommandsReproduceRunC.run("eval", "--model", model.toString(),
                "--adapter", out.getAsJsonObject("outputs").get("lora_adapter").getAsString(), "--data", eval.toString(), "--exact-match",
                "--max-new-tokens", "8", "--show", "12");
        assertEquals(after, ev.getAsJsonObject("loss").get("loss").getAsDouble(), 1e-4,
                "the saved adapter on the original base gives the trained model's loss");
        // Greedy decoding from the held-out prompts follows the taught continuation (the base model: no token).
        int right = 0;
        int total = 0;
        for (var p : ev.getAsJsonObject("exact_match").getAsJsonArray("predictions")) {
            String[] got = p.getAsJsonObject().get("generated").getAsString().split(" ");
            for (int k = 0; k < TAUGHT.length; k++) {
                right += k < got.length && got[k].equals(String.valueOf(TAUGHT[k])) ? 1 : 0;
                total++;
            }
        }
        assertEquals(12 * TAUGHT.length, total);
        assertTrue(right >= 0.6 * total, right + " of " + total + " taught tokens reproduced: " + ev);
    }

    @Test
    void gsm8kEvaluationRunsWithATokenizer(@TempDir Path dir) throws Exception {
        // aidreams260K has no tokenizer.json: pair its weights with a small word-level tokenizer whose ids lie in
        // its vocabulary, so the GSM8K path (template, tokenization, batched greedy decoding, answer extraction) runs.
        Path model = SharedData.require("models/aidreams260K");
        Path withTokenizer = dir.resolve("model");
        Files.createDirectories(withTokenizer);
        Files.copy(model.resolve("config.json"), withTokenizer.resolve("config.json"));
        Files.createSymbolicLink(withTokenizer.resolve("model.safetensors"), model.resolve("model.safetensors").toAbsolutePath());
        Files.copy(Path.of(getClass().getResource("word-level-tokenizer.json").toURI()),
                withTokenizer.resolve("tokenizer.json"));
        Path gsm8k = dir.resolve("gsm8k.jsonl");
        Files.write(gsm8k, List.of("{\"question\": \"2 + 3\", \"answer\": \"2 + 3 is 5 #### 5\"}",
                "{\"question\": \"3 + 2 + 5\", \"answer\": \"#### 1,000\"}",
                "{\"question\": \"5\", \"answer\": \"#### 2\"}"));
        JsonObject out = LogitsAndGenerateCommandsReproduceRunC.run("eval", "--model", withTokenizer.toString(),
                "--gsm8k", gsm8k.toString(), "--batch-size", "2", "--max-new-tokens", "6", "--show", "3");
        JsonObject g = out.getAsJsonObject("gsm8k");
        assertEquals(3, g.get("total").getAsInt());
        assertEquals(g.get("correct").getAsInt() / 3.0, g.get("accuracy").getAsDouble(), 1e-12);
        assertEquals("5", g.getAsJsonArray("predictions").get(0).getAsJsonObject().get("reference_answer").getAsString());
        assertEquals("1000", g.getAsJsonArray("predictions").get(1).getAsJsonObject().get("reference_answer")
                .getAsString());
    }
}
