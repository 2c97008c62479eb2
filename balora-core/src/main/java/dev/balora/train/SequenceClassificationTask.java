package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.balora.data.Batch;
import dev.balora.eval.Predictor;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.model.bert.Pooling;
import dev.balora.nn.ForwardContext;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import java.util.Map;
import java.util.Objects;

/**
 * Fine-tuning a BERT-family sequence classifier (or regressor): cross-entropy or MSE on the head's logits, plus an
 * optional {@link WeightedObjective} (BA-LoRA's regularizers). The objective sees the logits of the fine-tuned pass
 * and of the frozen-initial reference pass (adapters' A0/B0 and the initial heads, no dropout), which the trainer
 * runs outside its gradient collector, and, only when one of its terms reads them
 * ({@link WeightedObjective#readsHiddenStates()}), a pooled representation of both passes' last hidden states. The
 * reference outputs can be cached across epochs: {@code numLabels} floats per example, plus the hidden size when
 * the representation is needed.
 */
public final class SequenceClassificationTask implements TrainingTask {

    private final BertForSequenceClassification model;
    private final WeightedObjective objective;
    private final boolean needsReference;
    private final boolean needsHiddenStates;
    private final ReferenceCache cache;
    private final Pooling representation;

    private SequenceClassificationTask(Builder b) {
        this.model = b.model;
        this.objective = b.objective;
        this.needsReference = b.objective != null && !b.objective.entries().isEmpty();
        this.needsHiddenStates = needsReference && b.objective.readsHiddenStates();
        this.cache = b.cache;
        this.representation = b.representation;
    }

    /**
     * One forward pass: the head's logits and a sentence representation of the last hidden states (the part of
     * the model that is pre-trained, unlike a new head), for representation-level regularizers.
     *
     * @param logits [B, num_labels]
     * @param representation [B, hidden] pooled last hidden states, or null when not computed
     */
    public record Outputs(NDArray logits, NDArray representation) {}

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model. */
    public BertForSequenceClassification model() {
        return model;
    }

    @Override
    public NDList reference(Batch batch, StepContext context) {
        if (!needsReference) {
            return new NDList();
        }
        int[] indices = batch.indices();
        long classes = model.config().numLabels();
        if (cache != null) {
            NDArray hit = cache.get(indices, context.manager());
            if (hit != null) {
                return split(hit, classes);
            }
        }
        Outputs ref = outputs(batch, ForwardContext.REFERENCE);
        NDList out = ref.representation() == null ? new NDList(ref.logits())
                : new NDList(ref.logits(), ref.representation());
        if (cache != null) {
            // One row per example: [logits | representation], split again on the way out.
            cache.put(indices, out.size() == 1 ? out.get(0) : NDArrays.concat(out, 1));
        }
        return out;
    }

    private static NDList split(NDArray rows, long classes) {
        long width = rows.getShape().get(1);
        if (width == classes) {
            return new NDList(rows);
        }
        return new NDList(rows.get(":, :" + classes), rows.get(":, " + classes + ":"));
    }

    @Override
    public StepLoss loss(Batch batch, NDList reference, StepContext context) {
        Outputs out = outputs(batch, context.forward());
        NDArray taskLoss = model.loss(out.logits(), batch.labels());
        double task = taskLoss.getFloat();
        if (objective == null || !Double.isFinite(task)) {
            // A non-finite task loss goes back as it is: the trainer skips the step.
            return new StepLoss(taskLoss, Map.of("task", task), Map.of("task", 1.0));
        }
        RegularizerInput.Builder in = RegularizerInput.builder().setLogits(out.logits())
                .optStep(context.step(), context.totalSteps());
        if (!reference.isEmpty()) {
            in.optReferenceLogits(reference.get(0));
            if (reference.size() > 1 && out.representation() != null) {
                in.optHiddenStates(out.representation(), reference.get(1));
            }
        }
        return StepLoss.ofObjective(objective, taskLoss, task, in.build(), context.step());
    }

    /** Logits, and the representation only when a term of the objective reads it. */
    private Outputs outputs(Batch batch, ForwardContext ctx) {
        return needsHiddenStates ? forward(batch, ctx) : new Outputs(logits(batch, ctx), null);
    }

    /** The model's logits for a batch in a forward mode. */
    public NDArray logits(Batch batch, ForwardContext ctx) {
        NDArray types = batch.has(Batch.TOKEN_TYPE_IDS) ? batch.tokenTypeIds() : null;
        return model.logits(batch.inputIds(), batch.attentionMask(), types, ctx);
    }

    /** Logits and representation from one encoder pass (the hidden states are shared by both). */
    public Outputs forward(Batch batch, ForwardContext ctx) {
        NDArray types = batch.has(Batch.TOKEN_TYPE_IDS) ? batch.tokenTypeIds() : null;
        NDArray hidden = model.encoder().hiddenStates(batch.inputIds(), batch.attentionMask(), types, ctx);
        NDArray logits = model.head(hidden, batch.attentionMask(), ctx);
        return new Outputs(logits, representation.apply(hidden, batch.attentionMask()));
    }

    /** Inference predictions (no dropout, current adapters) for evaluation. */
    public Predictor predictor() {
        return batch -> logits(batch, ForwardContext.INFERENCE);
    }

    /** Builder of {@link SequenceClassificationTask}. */
    public static final class Builder {
        private BertForSequenceClassification model;
        private WeightedObjective objective;
        private ReferenceCache cache;
        private Pooling representation = Pooling.MEAN;

        private Builder() {}

        /** How the representation handed to regularizers pools the last hidden states (default MEAN). */
        public Builder optRepresentation(Pooling representation) {
            this.representation = Objects.requireNonNull(representation);
            return this;
        }

        /** Required: the classifier. */
        public Builder setModel(BertForSequenceClassification model) {
            this.model = model;
            return this;
        }

        /** The regularized objective (default none: the task loss alone, plain LoRA / PiSSA). */
        public Builder optObjective(WeightedObjective objective) {
            this.objective = objective;
            return this;
        }

        /** Keep reference logits across epochs in this cache (default none). */
        public Builder optReferenceCache(ReferenceCache cache) {
            this.cache = cache;
            return this;
        }

        /** Builds. */
        public SequenceClassificationTask build() {
            Objects.requireNonNull(model, "SequenceClassificationTask needs setModel");
            return new SequenceClassificationTask(this);
        }
    }
}
