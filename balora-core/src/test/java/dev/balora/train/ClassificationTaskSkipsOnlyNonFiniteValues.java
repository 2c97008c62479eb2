package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.EncodedDataset;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.fixtures.SharedData;
import dev.balora.model.bert.BertConfig;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.nn.ForwardContext;
import dev.balora.objective.NonFiniteValueException;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import dev.balora.onnx.ImportedModel;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SequenceClassificationTask turns a {@link NonFiniteValueException} from the objective (NaN term, non-finite
 * logits) into a NaN loss for the trainer to skip, and lets every other failure through, whatever its message says.
 */
class ClassificationTaskSkipsOnlyNonFiniteValues {

    @TempDir
    Path tmp;

    private static Regularizer term(String name, Function<RegularizerInput, NDArray> f) {
        return new Regularizer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDArray compute(RegularizerInput in) {
                return f.apply(in);
            }
        };
    }

    @Test
    void nanTermIsASkippedStepAndOtherErrorsPropagate() throws Exception {
        ImportedModel im = MiniLmClassifiers.imported();
        try (TextEncoder enc = TextEncoder.fromFile(MiniLmClassifiers.tokenizer(im, tmp), 16);
                NDManager m = NDManager.newBaseManager()) {
            EncodedDataset data = GlueDatasets.load(GlueTask.SST2, GlueTask.SST2.devFile(SharedData.require(
                    "data/glue")), enc, BadRowPolicy.FAIL, BatchOrder.BUCKETED, 16);
            JsonObject cfg = im.config().deepCopy();
            cfg.addProperty("num_labels", 2);
            BertForSequenceClassification model = BertForSequenceClassification.load(
                    BertConfig.parse("test", cfg), im.tensors(), m, 3);
            Regularizer nan = term("nan", in -> in.logits().sum().mul(Float.NaN));
            // A bug whose message happens to mention NaN must not be mistaken for a non-finite value.
            IllegalStateException bug = new IllegalStateException("index out of range while looking for NaN");
            Regularizer broken = term("broken", in -> {
                throw bug;
            });
            try (NDManager sub = m.newSubManager()) {
                Batch batch = data.load(new int[] {0, 1, 2, 3}, sub);
                StepContext ctx = new StepContext(sub, 4, 10, 0, 0, 0, ForwardContext.INFERENCE);
                NDList noReference = new NDList();

                SequenceClassificationTask skipping = SequenceClassificationTask.builder().setModel(model)
                        .optObjective(WeightedObjective.builder().add(nan, 0.5).build()).build();
                StepLoss skipped = skipping.loss(batch, noReference, ctx);
                assertTrue(Float.isNaN(skipped.loss().getFloat()), "the step is marked for skipping");
                double task = skipped.terms().get("task");
                assertTrue(Double.isFinite(task) && task > 0, "the task loss is still reported: " + task);
                assertFalse(skipped.terms().containsKey("nan"));

                SequenceClassificationTask failing = SequenceClassificationTask.builder().setModel(model)
                        .optObjective(WeightedObjective.builder().add(broken, 0.5).build()).build();
                IllegalStateException thrown = assertThrows(IllegalStateException.class,
                        () -> failing.loss(batch, noReference, ctx));
                assertSame(bug, thrown);
            }
        }
    }

    @Test
    void finiteCheckAndObjectiveThrowTheTypedException() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray bad = m.create(new float[] {1, Float.POSITIVE_INFINITY, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                    () -> RegularizerInput.builder().setLogits(bad).optStep(2, 5).build());
            assertEquals("logits of the fine-tuned pass at optimizer step 2", e.what());
            NDArray ok = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            WeightedObjective objective = WeightedObjective.builder()
                    .add(term("overflow", in -> in.logits().sum().mul(Float.POSITIVE_INFINITY)), 1.0).build();
            NonFiniteValueException t = assertThrows(NonFiniteValueException.class,
                    () -> objective.evaluate(m.create(0.5f), RegularizerInput.builder().setLogits(ok).build()));
            assertEquals("regularizer 'overflow'", t.what());
        }
    }
}
