package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.balora.data.Batch;
import dev.balora.eval.Predictor;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.model.bert.BertModel;
import dev.balora.model.bert.Pooling;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
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
    private final Pooling representation;
    private final Linear classifier; // BERT: [labels, hidden]; null for RoBERTa heads

    private SequenceClassificationTask(Builder b) {
        this.model = b.model;
        this.needsReference = b.needsReference;
        this.cache = b.cache;
        this.representation = b.representation;
        this.classifier = b.model.config().isRoberta() ? null : Layers.linears(b.model).get("classifier");
        if (!b.model.config().isRoberta() && (classifier == null || !b.model.encoder().hasPooler())) {
            throw new IllegalArgumentException("expected a BERT classifier with a pooler and a 'classifier' Linear");
        }
    }

    /**
     * One forward pass: the head's logits and a sentence representation of the last hidden states (the part of
     * the model that is pre-trained, unlike a new head), for representation-level regularizers.
     *
     * @param logits [B, num_labels]
     * @param representation [B, hidden] pooled last hidden states, or null for RoBERTa heads
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

    /**
     * Logits and representation from one encoder pass. For BERT heads this repeats the head of
     * {@link BertForSequenceClassification#logits} (pooler, dropout, classifier) so the hidden states are shared.
     */
    public Outputs forward(Batch batch, ForwardContext ctx) {
        if (classifier == null) {
            return new Outputs(logits(batch, ctx), null);
        }
        NDArray types = batch.has(Batch.TOKEN_TYPE_IDS) ? batch.tokenTypeIds() : null;
        BertModel encoder = model.encoder();
        NDArray hidden = encoder.hiddenStates(batch.inputIds(), batch.attentionMask(), types, ctx);
        NDArray pooled = encoder.pooledOutput(hidden, ctx);
        float drop = model.config().classifierDropout();
        if (ctx.training() && drop > 0f) {
            pooled = pooled.getNDArrayInternal().dropout(pooled, drop, true).singletonOrThrow();
        }
        NDArray logits = classifier.forward(pooled, ctx);
        return new Outputs(logits, representation.apply(hidden, batch.attentionMask()));
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
