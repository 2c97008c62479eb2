package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.data.BatchOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeReproducesUninterruptedRun {

    @TempDir
    Path tmp;

    @Test
    void interruptedAndResumedRunHasTheSameLosses() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            // Shuffled batches, dropout, accumulation, warm-up + cosine, clipping, weight decay: all must resume.
            TrainerConfig.Builder cfg = TrainerRuns.config().setBatchSize(8).optGradientAccumulation(2).optEpochs(3)
                    .optSchedule(ScheduleKind.COSINE).optWarmupRatio(0.2).optWeightDecay(0.01f).optMaxGradNorm(1.0)
                    .optSeed(11).optCheckpointEvery(5);
            TrainerRuns.Run full = TrainerRuns.run(m, cfg.optOutputDir(tmp.resolve("full")).build(),
                    BatchOrder.BUCKETED, 0.2f, null, null);
            assertEquals(12, full.steps.size());

            Path out = tmp.resolve("interrupted");
            TrainerConfig config = cfg.optOutputDir(out).build();
            RuntimeException crash = assertThrows(RuntimeException.class, () -> TrainerRuns.run(m, config,
                    BatchOrder.BUCKETED, 0.2f, null, r -> {
                        if (r.step() == 8) {
                            throw new IllegalStateException("simulated crash");
                        }
                    }));
            assertEquals("simulated crash", crash.getMessage());
            assertEquals("step-0000005", Files.readString(out.resolve("checkpoints/latest")).strip());

            TrainerRuns.Run resumed = TrainerRuns.run(m, config, BatchOrder.BUCKETED, 0.2f, out, null);
            assertEquals(7, resumed.steps.size(), "steps 6..12 after resuming at 5");
            for (StepRecord r : resumed.steps) {
                StepRecord f = full.steps.get(r.step() - 1);
                assertEquals(f.loss(), r.loss(), 1e-6, "loss at step " + r.step());
                assertEquals(f.lr(), r.lr(), 1e-12, "lr at step " + r.step());
            }
            for (int p = 0; p < full.params.length; p++) {
                assertArrayEquals(full.params[p], resumed.params[p], 1e-6f, "final parameter " + p);
            }
            // metrics.jsonl of the resumed run: steps 1..12 once each (lines past the checkpoint were dropped).
            List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
            assertEquals(12, lines.size());
            for (int i = 0; i < 12; i++) {
                JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                assertEquals(i + 1, o.get("step").getAsInt());
                assertEquals(full.steps.get(i).loss(), o.get("loss").getAsDouble(), 1e-6);
            }
            assertTrue(Files.exists(out.resolve("checkpoints/step-0000012/trainable.safetensors")));
            // Only trainable parameters are checkpointed: the four tensors of the tiny model, by state-dict key.
            try (dev.balora.checkpoint.TensorSource saved = TrainingCheckpoint.openTrainable(
                    out.resolve("checkpoints/step-0000012"))) {
                assertEquals(java.util.Set.of("hidden.weight", "hidden.bias", "classifier.weight", "classifier.bias"),
                        saved.names());
            }
        }
    }
}
