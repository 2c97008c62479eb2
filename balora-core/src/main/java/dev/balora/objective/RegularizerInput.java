package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * What a regularizer sees for one micro-batch: the fine-tuned and reference outputs, the token positions that
 * count, and where training stands.
 *
 * <p>Logits are [B, C] (classification/regression) or [B, T, V] (causal LM). The reference outputs come from the
 * frozen-initial reference pass, run without gradient. The token mask, when given, is already aligned with the
 * logits as the caller chose (1 = the logit at [b, t] counts); otherwise NLG terms derive it from the labels.
 * Steps count optimizer steps (0 for the first update), not micro-batches.
 */
public final class RegularizerInput {
    /** The label value the task loss ignores (PyTorch's and Hugging Face's convention). */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private final NDArray logits;
    private final NDArray referenceLogits;
    private final NDArray tokenMask;
    private final NDArray labels;
    private final int ignoreIndex;
    private final NDArray hiddenStates;
    private final NDArray referenceHiddenStates;
    private final long step;
    private final long totalSteps;
    private final Map<String, Object> memo = new HashMap<>();

    private RegularizerInput(Builder b) {
        this.logits = b.logits;
        this.referenceLogits = b.referenceLogits;
        this.tokenMask = b.tokenMask;
        this.labels = b.labels;
        this.ignoreIndex = b.ignoreIndex;
        this.hiddenStates = b.hiddenStates;
        this.referenceHiddenStates = b.referenceHiddenStates;
        this.step = b.step;
        this.totalSteps = b.totalSteps;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Logits of the fine-tuned pass, [B, C] or [B, T, V], with gradient. */
    public NDArray logits() {
        return logits;
    }

    /** Whether the logits are sequence logits [B, T, V]. */
    public boolean isSequence() {
        return logits.getShape().dimension() == 3;
    }

    /** Logits of the reference pass, same shape as {@link #logits()}, no gradient. */
    public Optional<NDArray> referenceLogits() {
        return Optional.ofNullable(referenceLogits);
    }

    /**
     * The reference logits, or a clear error naming the regularizer that needs them.
     *
     * @param who the regularizer's name
     * @return the reference logits
     */
    public NDArray requireReferenceLogits(String who) {
        if (referenceLogits == null) {
            throw new IllegalStateException("regularizer '" + who + "' needs the reference logits: run the"
                    + " frozen-initial reference pass and pass them with optReferenceLogits");
        }
        return referenceLogits;
    }

    /** Valid positions [B, T] (non-zero = counts), already aligned with the logits; absent = not given. */
    public Optional<NDArray> tokenMask() {
        return Optional.ofNullable(tokenMask);
    }

    /** Target token ids [B, T] as given to the task loss (unshifted), {@link #ignoreIndex()} where ignored. */
    public Optional<NDArray> labels() {
        return Optional.ofNullable(labels);
    }

    /** The label value that marks an ignored position. */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** Pooled hidden states of the fine-tuned pass, [B, H], with gradient. */
    public Optional<NDArray> hiddenStates() {
        return Optional.ofNullable(hiddenStates);
    }

    /** Pooled hidden states of the reference pass, [B, H], no gradient. */
    public Optional<NDArray> referenceHiddenStates() {
        return Optional.ofNullable(referenceHiddenStates);
    }

    /** Optimizer steps completed before this one (0 for the first update). */
    public long step() {
        return step;
    }

    /** Total optimizer steps of the run (at least 1). */
    public long totalSteps() {
        return totalSteps;
    }

    /**
     * A value derived from this input, computed once and shared by every regularizer that asks with the same key
     * (e.g. the selected token rows, so that their gather and its backward run once per micro-batch).
     *
     * @param key identifies the derived value, including every option it depends on
     * @param compute computes it on first use
     * @param <T> its type
     * @return the shared value
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, Supplier<T> compute) {
        Object v = memo.get(key);
        if (v == null) {
            v = compute.get();
            memo.put(key, v);
        }
        return (T) v;
    }

    /** Builder of {@link RegularizerInput}; {@code setLogits} is required. */
    public static final class Builder {
        private NDArray logits;
        private NDArray referenceLogits;
        private NDArray tokenMask;
        private NDArray labels;
        private int ignoreIndex = DEFAULT_IGNORE_INDEX;
        private NDArray hiddenStates;
        private NDArray referenceHiddenStates;
        private long step;
        private long totalSteps = 1;
        private boolean checkFinite = true;

        private Builder() {}

        /** Logits of the fine-tuned pass, [B, C] or [B, T, V]. */
        public Builder setLogits(NDArray logits) {
            this.logits = Objects.requireNonNull(logits, "logits");
            return this;
        }

        /** Logits of the reference pass, same shape, computed without gradient. */
        public Builder optReferenceLogits(NDArray referenceLogits) {
            this.referenceLogits = referenceLogits;
            return this;
        }

        /** Valid positions [B, T], already aligned with the logits (overrides the labels for NLG terms). */
        public Builder optTokenMask(NDArray tokenMask) {
            this.tokenMask = tokenMask;
            return this;
        }

        /** Target ids [B, T] as given to the task loss, unshifted. */
        public Builder optLabels(NDArray labels) {
            this.labels = labels;
            return this;
        }

        /** The label value of ignored positions (default -100). */
        public Builder optIgnoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** Pooled hidden states of the fine-tuned pass [B, H] and of the reference pass [B, H]. */
        public Builder optHiddenStates(NDArray hiddenStates, NDArray referenceHiddenStates) {
            this.hiddenStates = hiddenStates;
            this.referenceHiddenStates = referenceHiddenStates;
            return this;
        }

        /** Where training stands, in optimizer steps: {@code step} done so far out of {@code totalSteps}. */
        public Builder optStep(long step, long totalSteps) {
            this.step = step;
            this.totalSteps = totalSteps;
            return this;
        }

        /** Whether {@code build()} rejects non-finite logits and hidden states (default true; one reduction). */
        public Builder optCheckFinite(boolean checkFinite) {
            this.checkFinite = checkFinite;
            return this;
        }

        /**
         * Validates shapes and values.
         *
         * @return the input
         * @throws IllegalArgumentException on missing logits, mismatched shapes, bad steps or non-finite values
         */
        public RegularizerInput build() {
            if (logits == null) {
                throw new IllegalArgumentException("RegularizerInput: setLogits is required");
            }
            Shape shape = logits.getShape();
            if (shape.dimension() != 2 && shape.dimension() != 3) {
                throw new IllegalArgumentException("RegularizerInput: logits must be [B, C] or [B, T, V], got " + shape);
            }
            if (referenceLogits != null && !referenceLogits.getShape().equals(shape)) {
                throw new IllegalArgumentException("RegularizerInput: reference logits " + referenceLogits.getShape()
                        + " do not match the logits " + shape);
            }
            Shape bt = shape.dimension() == 3 ? new Shape(shape.get(0), shape.get(1)) : null;
            if (tokenMask != null && !tokenMask.getShape().equals(bt)) {
                throw new IllegalArgumentException("RegularizerInput: token mask must be [B, T] = " + bt
                        + " for logits " + shape + ", got " + tokenMask.getShape());
            }
            if (labels != null && !labels.getShape().equals(bt)) {
                throw new IllegalArgumentException("RegularizerInput: labels must be [B, T] = " + bt
                        + " for logits " + shape + ", got " + labels.getShape());
            }
            if ((hiddenStates == null) != (referenceHiddenStates == null)) {
                throw new IllegalArgumentException("RegularizerInput: give the hidden states of both passes or none");
            }
            if (hiddenStates != null) {
                if (hiddenStates.getShape().dimension() != 2 || hiddenStates.getShape().get(0) != shape.get(0)) {
                    throw new IllegalArgumentException("RegularizerInput: hidden states must be pooled [B, H] with B = "
                            + shape.get(0) + ", got " + hiddenStates.getShape());
                }
                if (!referenceHiddenStates.getShape().equals(hiddenStates.getShape())) {
                    throw new IllegalArgumentException("RegularizerInput: reference hidden states "
                            + referenceHiddenStates.getShape() + " do not match " + hiddenStates.getShape());
                }
            }
            if (totalSteps < 1 || step < 0) {
                throw new IllegalArgumentException("RegularizerInput: need step >= 0 and totalSteps >= 1, got step="
                        + step + ", totalSteps=" + totalSteps);
            }
            if (checkFinite) {
                String at = " at optimizer step " + step;
                FiniteCheck.require(logits, "logits of the fine-tuned pass" + at);
                if (referenceLogits != null) {
                    FiniteCheck.require(referenceLogits, "logits of the reference pass" + at);
                }
                if (hiddenStates != null) {
                    FiniteCheck.require(hiddenStates, "hidden states of the fine-tuned pass" + at);
                    FiniteCheck.require(referenceHiddenStates, "hidden states of the reference pass" + at);
                }
            }
            return new RegularizerInput(this);
        }
    }
}
