package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import dev.balora.data.EncodedDataset;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.fixtures.SharedData;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.nn.ForwardContext;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import dev.balora.onnx.ImportedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classification task pools, hands over and caches the hidden states only when a term of the objective says it
 * reads them ({@link Regularizer#readsHiddenStates()}): with logit terms alone the reference pass returns the logits
 * and the cache keeps numLabels floats per example; with a hidden-state term both, numLabels + hidden floats.
 */
class HiddenStatesOnlyWhenATermReadsThem {

    @TempDir
    Path tmp;

    /** mean(z - z_ref) on the logits or on the pooled hidden states; records whether it saw hidden states. */
    static final class Probe implements Regularizer {
        final boolean hidden;
        final List<Boolean> sawHidden = new ArrayList<>();

        Probe(boolean hidden) {
            this.hidden = hidden;
        }

        @Override
        public String name() {
            return hidden ? "hidden_probe" : "logit_probe";
        }

        @Override
        public boolean readsHiddenStates() {
            return hidden;
        }

        @Override
        public NDArray compute(RegularizerInput in) {
            sawHidden.add(in.hiddenStates().isPresent() && in.referenceHiddenStates().isPresent());
            if (hidden) {
                return in.hiddenStates().orElseThrow().sub(in.referenceHiddenStates().orElseThrow()).mean();
            }
            return in.logits().sub(in.requireReferenceLogits(name())).mean();
        }
    }

    @Test
    void logitTermsGetNoHiddenStatesAndAHiddenTermGetsBoth() throws Exception {
        ImportedModel im = MiniLmClassifiers.imported();
        try (TextEncoder enc = TextEncoder.fromFile(MiniLmClassifiers.tokenizer(im, tmp), 16);
                NDManager m = NDManager.newBaseManager()) {
            EncodedDataset data = GlueDatasets.load(GlueTask.SST2, GlueTask.SST2.devFile(SharedData.require(
                    "data/glue")), enc, BadRowPolicy.FAIL, BatchOrder.BUCKETED, 16);
            BertForSequenceClassification model = MiniLmClassifiers.classifier(im, 2, m, 3);
            long labels = model.config().numLabels();
            long hiddenSize = model.config().hiddenSize();

            Probe logitsOnly = new Probe(false);
            Run logits = run(model, data, m, WeightedObjective.builder().add(logitsOnly, 0.5).build());
            assertEquals(1, logits.reference.size(), "only the reference logits");
            assertEquals(new Shape(2, labels), logits.reference.get(0).getShape());
            assertEquals(4 * labels, logits.cache.bytes() / logits.cache.size(), "cache rows are numLabels wide");
            assertEquals(List.of(false), logitsOnly.sawHidden);

            // A hidden-state term with weight 0 is never computed and changes nothing either.
            Run idle = run(model, data, m, WeightedObjective.builder().add(new Probe(false), 0.5)
                    .add(new Probe(true), 0.0).build());
            assertEquals(1, idle.reference.size());

            Probe onHidden = new Probe(true);
            Probe next = new Probe(false);
            Run both = run(model, data, m, WeightedObjective.builder().add(next, 0.5).add(onHidden, 0.5).build());
            assertEquals(2, both.reference.size(), "reference logits and pooled hidden states");
            assertEquals(new Shape(2, labels), both.reference.get(0).getShape());
            assertEquals(new Shape(2, hiddenSize), both.reference.get(1).getShape());
            assertEquals(4 * (labels + hiddenSize), both.cache.bytes() / both.cache.size());
            assertEquals(List.of(true), onHidden.sawHidden);
            assertTrue(next.sawHidden.get(0), "every term sees what the objective computed");
        }
    }

    private record Run(NDList reference, ReferenceCache cache) {}

    /** One reference pass (filling a fresh cache) and one loss on two examples. */
    private static Run run(BertForSequenceClassification model, EncodedDataset data, NDManager m,
            WeightedObjective objective) {
        ReferenceCache cache = new ReferenceCache(1 << 20);
        SequenceClassificationTask task = SequenceClassificationTask.builder().setModel(model)
                .optObjective(objective).optReferenceCache(cache).build();
        NDManager sub = m.newSubManager();
        Batch batch = data.load(new int[] {0, 1}, sub);
        StepContext ctx = new StepContext(sub, 0, 10, 0, 0, 0, ForwardContext.INFERENCE);
        NDList reference = task.reference(batch, ctx);
        task.loss(batch, reference, ctx);
        return new Run(reference, cache);
    }
}
