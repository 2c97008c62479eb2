package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.data.BatchOrder;
import dev.balora.objective.Scalars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metrics.jsonl line carries each term raw ({@code terms}), its λ ({@code lambdas}) and its share of the loss
 * ({@code weighted}), besides lr, grad_norm, seconds and tokens/s: the weighted shares add up to the loss the
 * trainer back-propagated, which the task built as task + 0.25 * penalty on its own.
 */
class MetricsJsonlWeightsEachTerm {

    @TempDir
    Path tmp;

    @Test
    void weightedTermsAreValueTimesLambdaAndSumToTheLoss() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 7, 0f);
            CrossEntropyTask ce = new CrossEntropyTask(model);
            double lambda = 0.25;
            TrainingTask task = (batch, reference, ctx) -> {
                NDArray taskLoss = ce.loss(batch, reference, ctx).loss();
                NDArray penalty = model.hidden.weight().array().square().mean();
                NDArray total = taskLoss.add(Scalars.mul(penalty, lambda));
                return new StepLoss(total, Map.of("task", (double) taskLoss.getFloat(), "penalty",
                        (double) penalty.getFloat()), Map.of("task", 1.0, "penalty", lambda));
            };
            Path out = tmp.resolve("run");
            TrainerConfig config = TrainerRuns.config().optGradientAccumulation(2).optEpochs(1).optOutputDir(out)
                    .build();
            TrainerRuns.Run run = TrainerRuns.run(model, task, new FeatureData(64, 3, BatchOrder.BUCKETED), config,
                    null, null);
            List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
            assertEquals(2, lines.size());
            for (int i = 0; i < lines.size(); i++) {
                JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                JsonObject terms = o.getAsJsonObject("terms");
                JsonObject lambdas = o.getAsJsonObject("lambdas");
                JsonObject weighted = o.getAsJsonObject("weighted");
                assertEquals(Set.of("task", "penalty"), weighted.keySet());
                double penalty = terms.get("penalty").getAsDouble();
                assertTrue(penalty > 0);
                assertEquals(lambda, lambdas.get("penalty").getAsDouble());
                assertEquals(penalty * lambda, weighted.get("penalty").getAsDouble(), 1e-12);
                assertEquals(terms.get("task").getAsDouble(), weighted.get("task").getAsDouble(), 1e-12);
                double loss = o.get("loss").getAsDouble();
                assertEquals(loss, weighted.get("task").getAsDouble() + weighted.get("penalty").getAsDouble(), 1e-6);
                assertFalse(Math.abs(loss - terms.get("task").getAsDouble()) < 1e-6, "the penalty counts");
                assertEquals(run.steps.get(i).lr(), o.get("lr").getAsDouble(), 1e-12);
                assertTrue(o.get("grad_norm").getAsDouble() > 0);
                assertTrue(o.get("seconds").getAsDouble() > 0);
                assertTrue(o.get("tokens_per_s").getAsDouble() > 0);
            }
        }
    }
}
