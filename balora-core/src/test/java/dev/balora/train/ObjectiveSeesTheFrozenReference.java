package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.LoraModel;
import dev.balora.data.BatchOrder;
import dev.balora.data.EncodedDataset;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.fixtures.SharedData;
import dev.balora.model.bert.BertConfig;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import dev.balora.onnx.ImportedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on all-MiniLM-L6-v2 with an objective whose terms compare the fine-tuned pass with the reference pass: at
 * the first step (B = 0, no dropout) both passes agree exactly, afterwards they drift; the reference cache serves
 * the second epoch and changes nothing.
 */
class ObjectiveSeesTheFrozenReference {

    @TempDir
    Path tmp;

    /** mean((z - z_ref)^2) on the logits and on the representation. */
    static final class Drift implements Regularizer {
        private final boolean hidden;

        Drift(boolean hidden) {
            this.hidden = hidden;
        }

        @Override
        public String name() {
            return hidden ? "hidden_drift" : "logit_drift";
        }

        @Override
        public boolean readsHiddenStates() {
            return hidden;
        }

        @Override
        public NDArray compute(RegularizerInput in) {
            if (hidden) {
                return in.hiddenStates().orElseThrow().sub(in.referenceHiddenStates().orElseThrow()).square().mean();
            }
            return in.logits().sub(in.requireReferenceLogits(name())).square().mean();
        }
    }

    @Test
    void referenceTermsStartAtZeroThenGrowAndTheCacheServesTheSameRows() throws Exception {
        ImportedModel im = MiniLmClassifiers.imported();
        try (TextEncoder enc = TextEncoder.fromFile(MiniLmClassifiers.tokenizer(im, tmp), 24);
                NDManager m = NDManager.newBaseManager()) {
            EncodedDataset data = GlueDatasets.load(GlueTask.SST2, GlueTask.SST2.devFile(SharedData.require(
                    "data/glue")), enc, BadRowPolicy.FAIL, BatchOrder.BUCKETED, 16);
            JsonObject cfg = im.config().deepCopy();
            cfg.addProperty("num_labels", 2);
            cfg.addProperty("hidden_dropout_prob", 0.0);
            cfg.addProperty("attention_probs_dropout_prob", 0.0);
            BertForSequenceClassification model = BertForSequenceClassification.load(
                    BertConfig.parse("test", cfg), im.tensors(), m, 3);
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("query", "value").optRank(4)
                    .optAlpha(8).optDropout(0).optModulesToSave(List.copyOf(model.outputHeadPaths())).build());
            assertTrue(lora.trainableParameters().size() > 4);
            WeightedObjective objective = WeightedObjective.builder().add(new Drift(false), 1.0)
                    .add(new Drift(true), 0.5).build();
            ReferenceCache cache = new ReferenceCache(1 << 20);
            SequenceClassificationTask task = SequenceClassificationTask.builder().setModel(model)
                    .optObjective(objective).optReferenceCache(cache).build();
            TrainerConfig config = TrainerRuns.config().setBatchSize(8).setLearningRate(5e-3f).optEpochs(2)
                    .optSchedule(ScheduleKind.CONSTANT).build();
            List<StepRecord> steps = TrainerRuns.runWith(model, task, data, config).steps;

            assertEquals(4, steps.size());
            StepRecord first = steps.get(0);
            assertEquals(0.0, first.terms().get("logit_drift"), 1e-10);
            assertEquals(0.0, first.terms().get("hidden_drift"), 1e-10);
            assertEquals(first.terms().get("task"), first.loss(), 1e-6);
            assertEquals(0.5, first.lambdas().get("hidden_drift"));
            StepRecord last = steps.get(3);
            assertTrue(last.terms().get("logit_drift") > 1e-8, "logits drift after 3 updates: " + last.terms());
            assertTrue(last.terms().get("hidden_drift") > 1e-10, "hidden states drift: " + last.terms());
            assertEquals(last.terms().get("task") + last.terms().get("logit_drift")
                    + 0.5 * last.terms().get("hidden_drift"), last.loss(), 1e-5);
            assertEquals(16, cache.size());
            assertEquals(16, cache.hits()); // epoch 2 came from the cache

            // Rows from the cache split back into exactly what a fresh reference pass computes.
            try (NDManager sub = m.newSubManager()) {
                dev.balora.data.Batch batch = data.load(new int[] {3, 0, 7}, sub);
                StepContext ctx = new StepContext(sub, 0, 1, 0, 0, 0, dev.balora.nn.ForwardContext.TRAINING);
                ai.djl.ndarray.NDList fromCache = task.reference(batch, ctx);
                SequenceClassificationTask.Outputs fresh = task.forward(batch,
                        dev.balora.nn.ForwardContext.REFERENCE);
                assertEquals(2, fromCache.size());
                org.junit.jupiter.api.Assertions.assertArrayEquals(fresh.logits().toFloatArray(),
                        fromCache.get(0).toFloatArray(), 1e-6f);
                org.junit.jupiter.api.Assertions.assertArrayEquals(fresh.representation().toFloatArray(),
                        fromCache.get(1).toFloatArray(), 1e-6f);
                assertEquals(19, cache.hits());
            }
        }
    }
}
