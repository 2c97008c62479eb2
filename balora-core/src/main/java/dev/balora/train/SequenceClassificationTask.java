package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.balora.data.Batch;
import dev.balora.eval.Predictor;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.nn.ForwardContext;
import java.util.Map;
import java.util.Objects;

/**
 * Fine-tuning a BERT-family sequence classifier (or regressor): cross-entropy or MSE on the head's logits, with
 * the frozen-initial reference pass (adapters' A0/B0 and the initial head, no dropout) run outside the gradient
 * collector when an objective needs it, optionally cached across epochs.
 */
public final class SequenceClassificationTask implements TrainingTask {
    private final BertForSequenceClassification model;
    private final boolean needsReference;
    private final ReferenceCache cache;

    private SequenceClassificationTask(Builder b) {
        this.model = b.model;
        this.needsReference = b.needsReference;
        this.cache = b.cache;
    }

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
        if (cache != null) {
            NDArray hit = cache.get(indices, context.manager());
            if (hit != null) {
                return new NDList(hit);
            }
        }
        NDArray logits = logits(batch, ForwardContext.REFERENCE);
        if (cache != null) {
            cache.put(indices, logits);
        }
        return new NDList(logits);
    }

    @Override
    public StepLoss loss(Batch batch, NDList reference, StepContext context) {
        NDArray logits = logits(batch, context.forward());
        NDArray loss = model.loss(logits, batch.labels());
        return new StepLoss(loss, Map.of("task", (double) loss.getFloat()), Map.of("task", 1.0));
    }

    /** The model's logits for a batch in a forward mode. */
    public NDArray logits(Batch batch, ForwardContext ctx) {
        NDArray types = batch.has(Batch.TOKEN_TYPE_IDS) ? batch.tokenTypeIds() : null;
        return model.logits(batch.inputIds(), batch.attentionMask(), types, ctx);
    }

    /** Inference predictions (no dropout, current adapters) for evaluation. */
    public Predictor predictor() {
        return batch -> logits(batch, ForwardContext.INFERENCE);
    }

    /** Builder of {@link SequenceClassificationTask}. */
    public static final class Builder {
        private BertForSequenceClassification model;
        private boolean needsReference;
        private ReferenceCache cache;

        private Builder() {}

        /** Required: the classifier. */
        public Builder setModel(BertForSequenceClassification model) {
            this.model = model;
            return this;
        }

        /** Run the frozen-initial reference pass every micro-batch (default false). */
        public Builder optReferencePass(boolean needsReference) {
            this.needsReference = needsReference;
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
