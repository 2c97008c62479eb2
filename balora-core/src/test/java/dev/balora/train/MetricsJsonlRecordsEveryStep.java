package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.data.BatchOrder;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsJsonlRecordsEveryStep {

    @TempDir
    Path tmp;

    @Test
    void oneLinePerOptimizerStepWithTermsLambdasLrAndNormPlusEvalAndPlot() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0f);
            Path out = tmp.resolve("run");
            // 64 examples, micro-batch 16, accumulation 2 -> 2 steps per epoch, 3 epochs -> 6 steps.
            TrainerConfig config = TrainerRuns.config().optGradientAccumulation(2).optEpochs(3).optWarmupRatio(0.5)
                    .optEvalEvery(4).optOutputDir(out).optLossCurve(true).build();
            AtomicInteger evals = new AtomicInteger();
            Evaluation eval = manager -> Map.of("accuracy", 0.5 + 0.1 * evals.incrementAndGet());
            Trainer trainer = Trainer.builder().setModel(model).setTask(new CrossEntropyTask(model))
                    .setTrainData(new FeatureData(64, 3, BatchOrder.BUCKETED)).setConfig(config)
                    .optEvaluation(eval).build();
            TrainingResult result;
            try (trainer) {
                result = trainer.fit();
            }
            assertEquals(6, result.steps());
            List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
            assertEquals(6, lines.size());
            LearningRateSchedule schedule = new LearningRateSchedule(ScheduleKind.LINEAR, 0.05f, 3, 6, 0f);
            for (int i = 0; i < 6; i++) {
                JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                assertEquals(i + 1, o.get("step").getAsInt());
                assertEquals(i / 2, o.get("epoch").getAsInt());
                double loss = o.get("loss").getAsDouble();
                assertTrue(loss > 0 && loss < 10, "loss " + loss);
                // The task term equals the loss (it is the only weighted term); the other term is reported too.
                assertEquals(loss, o.getAsJsonObject("terms").get("task").getAsDouble(), 1e-6);
                assertTrue(o.getAsJsonObject("terms").get("head_l2").getAsDouble() > 0);
                assertEquals(1.0, o.getAsJsonObject("lambdas").get("task").getAsDouble());
                assertEquals(0.0, o.getAsJsonObject("lambdas").get("head_l2").getAsDouble());
                assertEquals(schedule.at(i), o.get("lr").getAsDouble(), 1e-9);
                assertTrue(o.get("grad_norm").getAsDouble() > 0);
                assertEquals(32, o.get("examples").getAsInt());
                assertEquals(32, o.get("tokens").getAsLong()); // FeatureData counts one "token" per example
                assertTrue(o.get("tokens_per_s").getAsDouble() > 0);
                assertFalse(o.get("skipped").getAsBoolean());
            }
            // Evaluations at step 2 (epoch end), 4 (every 4 and epoch end, once), 6 (epoch end and last).
            List<String> evalLines = Files.readAllLines(out.resolve("eval.jsonl"), StandardCharsets.UTF_8);
            assertEquals(3, evalLines.size());
            assertEquals(4, JsonParser.parseString(evalLines.get(1)).getAsJsonObject().get("step").getAsInt());
            assertEquals(0.8, result.lastEvaluation().get("accuracy"), 1e-9);
            BufferedImage png = ImageIO.read(out.resolve("loss-curve.png").toFile());
            assertNotNull(png, "loss-curve.png must be a readable PNG");
            assertEquals(LossCurvePlot.WIDTH, png.getWidth());
            // losses, the head_l2 term, the three evaluations
            assertEquals(3 * LossCurvePlot.PANEL_HEIGHT, png.getHeight());
        }
    }
}
