package dev.balora.train.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.data.Batch;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.nn.EngineArrays;
import dev.balora.nn.ForwardContext;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.RowGradient;
import dev.balora.objective.TokenLayout;
import dev.balora.objective.WeightedObjective;
import dev.balora.train.StepContext;
import dev.balora.train.StepLoss;
import dev.balora.train.TrainingTask;
import java.util.HashMap;
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
 *
 * <p>When the model splits its output head off ({@link CausalLanguageModel#splitsHead()}) and every computed term
 * declares the positions it reads ({@link dev.balora.objective.Regularizer#positionsRead}), both passes run the head
 * only at the union of those positions and the task loss's: the regularizers then get logit rows
 * ({@link RegularizerInput.Builder#setLogitRows}). Otherwise they get the whole logits. The reference pass also
 * lets each term precompute what it needs from the reference ({@link
 * dev.balora.objective.Regularizer#referenceValues}), outside the gradient collector.
 */
public final class CausalLmTask implements TrainingTask {
    /** The name of the reference logits in the list {@link #reference} returns (the terms' values follow). */
    private static final String REFERENCE_LOGITS = "balora.referenceLogits";
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
        Rows rows = rows(batch, context);
        NDArray ref = rows == null ? model.logits(batch.inputIds(), batch.attentionMask(), ForwardContext.REFERENCE)
                : rows.head(model, batch, ForwardContext.REFERENCE);
        ref.setName(REFERENCE_LOGITS);
        NDList out = new NDList(ref);
        // The terms derive what they need from the reference here, outside the gradient collector.
        RegularizerInput refIn = input(rows, ref, batch, context).build();
        for (WeightedObjective.Entry e : objective.entries()) {
            if (objective.computes(e, context.step(), context.totalSteps())) {
                for (Map.Entry<String, NDArray> v : e.regularizer().referenceValues(refIn).entrySet()) {
                    v.getValue().setName(v.getKey());
                    out.add(v.getValue());
                }
            }
        }
        return out;
    }

    private boolean anyTermActive(StepContext context) {
        for (WeightedObjective.Entry e : objective.entries()) {
            if (objective.computes(e, context.step(), context.totalSteps())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public StepLoss loss(Batch batch, NDList reference, StepContext context) {
        NDArray labels = batch.labels();
        Rows rows = rows(batch, context);
        NDArray logits;
        NDArray taskLoss = null;
        RowGradient taskHand = null;
        double task;
        if (rows == null) {
            logits = model.logits(batch.inputIds(), batch.attentionMask(), context.forward());
            taskLoss = ShiftedCrossEntropy.mean(logits, labels);
            task = taskLoss.getFloat();
        } else {
            // The cross-entropy's gradient is built by hand on the rows, so that the terms' hand-built gradients
            // join it in one buffer and the whole objective reaches the graph through one product.
            logits = rows.head(model, batch, context.forward());
            taskHand = ShiftedCrossEntropy.meanRowsByHand(logits, rows.targets);
            task = taskHand.value();
        }
        phaseMarks.accept(PHASE_FORWARD);
        if (objective == null || objective.entries().isEmpty() || !Double.isFinite(task)) {
            // A non-finite task loss goes back as it is: the trainer skips the step.
            NDArray loss = taskLoss != null ? taskLoss : RowGradient.attach(logits, taskHand.gradient(), task);
            return new StepLoss(loss, Map.of("task", task), Map.of("task", 1.0));
        }
        RegularizerInput.Builder in = input(rows, logits, batch, context);
        if (!reference.isEmpty()) {
            in.optReferenceLogits(reference.get(0));
            Map<String, NDArray> values = new HashMap<>();
            for (int i = 1; i < reference.size(); i++) {
                values.put(reference.get(i).getName(), reference.get(i));
            }
            in.optReferenceValues(values);
        }
        return taskHand != null ? StepLoss.ofObjective(objective, taskHand, in.build(), context.step())
                : StepLoss.ofObjective(objective, taskLoss, task, in.build(), context.step());
    }

    private static RegularizerInput.Builder input(Rows rows, NDArray logits, Batch batch, StepContext context) {
        RegularizerInput.Builder in = RegularizerInput.builder().optLabels(batch.labels())
                .optIgnoreIndex(ShiftedCrossEntropy.IGNORE_INDEX).optStep(context.step(), context.totalSteps());
        return rows == null ? in.setLogits(logits) : in.setLogitRows(logits, rows.positions, rows.batch, rows.time);
    }

    /**
     * The positions where the output head must run: those of the shifted task loss and of every term computed at
     * this step; null (the whole logits) when the model cannot split its head off, a term reads every position, or
     * the union is every position anyway.
     */
    private Rows rows(Batch batch, StepContext context) {
        if (!model.splitsHead()) {
            return null;
        }
        Shape shape = batch.labels().getShape();
        int b = Math.toIntExact(shape.get(0));
        int t = Math.toIntExact(shape.get(1));
        long[] labels = batch.labels().toType(DataType.INT64, false).toLongArray();
        TokenLayout layout = new TokenLayout(b, t, labels, ShiftedCrossEntropy.IGNORE_INDEX, null);
        boolean[] union = layout.shiftedTargets();
        if (objective != null) {
            for (WeightedObjective.Entry e : objective.entries()) {
                if (!objective.computes(e, context.step(), context.totalSteps())) {
                    continue;
                }
                boolean[] read = e.regularizer().positionsRead(layout);
                if (read == null) {
                    return null;
                }
                for (int i = 0; i < union.length; i++) {
                    union[i] |= read[i];
                }
            }
        }
        int n = 0;
        for (boolean u : union) {
            n += u ? 1 : 0;
        }
        if (n == 0 || n == union.length) {
            return null;
        }
        int[] positions = new int[n];
        long[] targets = new long[n];
        for (int i = 0, j = 0; i < union.length; i++) {
            if (union[i]) {
                positions[j] = i;
                targets[j++] = i % t + 1 < t ? labels[i + 1] : ShiftedCrossEntropy.IGNORE_INDEX;
            }
        }
        return new Rows(b, t, positions, targets);
    }

    /** Where the output head runs: flat positions {@code b * T + t} and the shifted target of each. */
    private record Rows(int batch, int time, int[] positions, long[] targets) {

        /** The logits of these rows, [N, V]: the whole trunk, then the head on the gathered hidden rows. */
        NDArray head(CausalLanguageModel model, Batch data, ForwardContext context) {
            NDArray hidden = model.hiddenStates(data.inputIds(), data.attentionMask(), context);
            long h = hidden.getShape().get(2);
            long[] index = new long[positions.length];
            for (int i = 0; i < index.length; i++) {
                index[i] = positions[i];
            }
            NDArray picked = hidden.reshape((long) batch * time, h)
                    .get(EngineArrays.own(hidden.getManager().create(index)));
            return model.headLogits(picked, context);
        }
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
