package dev.balora.train.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.balora.data.Batch;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.nn.ForwardContext;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import dev.balora.train.StepContext;
import dev.balora.train.StepLoss;
import dev.balora.train.TrainingTask;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Fine-tuning a causal LM on prompt/response batches ({@code input_ids}, {@code attention_mask}, {@code labels}
 * [B, T], labels {@value ShiftedCrossEntropy#IGNORE_INDEX} on prompt and padding): the shifted cross-entropy on
 * response tokens, plus an optional {@link WeightedObjective} (BA-LoRA's NLG terms).
 *
 * <p>The regularizers see the logits [B, T, V] of the trainable pass, the logits of the reference pass (the
 * adapters' frozen initial A0/B0, no dropout: {@link ForwardContext#REFERENCE}) which the trainer runs outside its
 * gradient collector, and the unshifted labels, from which each term derives its valid positions under its own
 * alignment. Every term's value and weight is returned for {@code metrics.jsonl}.
 */
public final class CausalLmTask implements TrainingTask {
    /** The mark {@link Builder#optPhaseMarks} receives once the trainable forward and the task loss are done. */
    public static final String PHASE_FORWARD = "forward";

    private final CausalLanguageModel model;
    private final WeightedObjective objective;
    private final boolean needsReference;
    private final Consumer<String> phaseMarks;

    private CausalLmTask(Builder b) {
        this.model = b.model;
        this.objective = b.objective;
        this.phaseMarks = b.phaseMarks;
        this.needsReference = b.objective != null && !b.objective.entries().isEmpty();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model. */
    public CausalLanguageModel model() {
        return model;
    }

    @Override
    public NDList reference(Batch batch, StepContext context) {
        if (!needsReference || !anyTermActive(context)) {
            return new NDList();
        }
        return new NDList(model.logits(batch.inputIds(), batch.attentionMask(), ForwardContext.REFERENCE));
    }

    private boolean anyTermActive(StepContext context) {
        for (WeightedObjective.Entry e : objective.entries()) {
            if (e.weightAt(context.step(), context.totalSteps()) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public StepLoss loss(Batch batch, NDList reference, StepContext context) {
        NDArray labels = batch.labels();
        NDArray logits = model.logits(batch.inputIds(), batch.attentionMask(), context.forward());
        NDArray taskLoss = ShiftedCrossEntropy.mean(logits, labels);
        double task = taskLoss.getFloat();
        phaseMarks.accept(PHASE_FORWARD);
        if (objective == null || objective.entries().isEmpty() || !Double.isFinite(task)) {
            // A non-finite task loss goes back as it is: the trainer skips the step.
            return new StepLoss(taskLoss, Map.of("task", task), Map.of("task", 1.0));
        }
        RegularizerInput.Builder in = RegularizerInput.builder().setLogits(logits).optLabels(labels)
                .optIgnoreIndex(ShiftedCrossEntropy.IGNORE_INDEX).optStep(context.step(), context.totalSteps());
        if (!reference.isEmpty()) {
            in.optReferenceLogits(reference.get(0));
        }
        return StepLoss.ofObjective(objective, taskLoss, task, in.build(), context.step());
    }

    /** Builder of {@link CausalLmTask}. */
    public static final class Builder {
        private CausalLanguageModel model;
        private WeightedObjective objective;
        private Consumer<String> phaseMarks = phase -> { };

        private Builder() {}

        /** Required: the causal LM (with its adapters attached). */
        public Builder setModel(CausalLanguageModel model) {
            this.model = model;
            return this;
        }

        /** The regularized objective (default none: the task loss alone, plain LoRA / PiSSA). */
        public Builder optObjective(WeightedObjective objective) {
            this.objective = objective;
            return this;
        }

        /**
         * Called inside {@link #loss} at phase boundaries (e.g. {@link #PHASE_FORWARD}), so that a benchmark can
         * split the time of a step into its parts; default none.
         */
        public Builder optPhaseMarks(Consumer<String> phaseMarks) {
            this.phaseMarks = Objects.requireNonNull(phaseMarks, "phaseMarks");
            return this;
        }

        /** Builds. */
        public CausalLmTask build() {
            Objects.requireNonNull(model, "CausalLmTask needs setModel");
            return new CausalLmTask(this);
        }
    }
}
