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
 * <p>Logits are [B, C] (classification/regression) or [B, T, V] (causal LM). Sequence logits may also be given only
 * at some positions ({@link Builder#setLogitRows}: rows [N, V] and their flat positions {@code b * T + t}), when
 * the task computed its output head only where a loss reads it; then {@link #logits()} is unavailable and sequence
 * terms read {@link #logitRows()} and {@link #rowPositions()} (which also work on full logits), and declare the
 * positions they read through {@link Regularizer#positionsRead}. The reference outputs come from the
 * frozen-initial reference pass, run without gradient, in the same layout as the logits; values a term derived
 * from them in that pass ({@link Regularizer#referenceValues}) arrive in {@link #referenceValue}. The token mask, when given, is already aligned with the
 * logits as the caller chose (1 = the logit at [b, t] counts); otherwise NLG terms derive it from the labels.
 * Steps count optimizer steps (0 for the first update), not micro-batches.
 */
public final class RegularizerInput {
    /** The label value the task loss ignores (PyTorch's and Hugging Face's convention). */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private final NDArray logits;
    private final NDArray logitRows;
    private final int[] positions;
    private final Shape sequenceShape;
    private final NDArray referenceLogits;
    private final Map<String, NDArray> referenceValues;
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
        this.logitRows = b.logitRows;
        this.positions = b.positions;
        this.sequenceShape = b.logits != null ? b.logits.getShape()
                : new Shape(b.rowsBatch, b.rowsTime, b.logitRows.getShape().get(1));
        this.referenceLogits = b.referenceLogits;
        this.referenceValues = Map.copyOf(b.referenceValues);
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

    /**
     * Logits of the fine-tuned pass, [B, C] or [B, T, V], with gradient.
     *
     * @throws IllegalStateException when the logits were given only at some positions ({@link #hasAllPositions()}
     *     false): read {@link #logitRows()} then
     */
    public NDArray logits() {
        if (logits == null) {
            throw new IllegalStateException("the logits were given only at " + positions.length + " of "
                    + sequenceShape.get(0) * sequenceShape.get(1) + " positions (setLogitRows): read logitRows() and"
                    + " rowPositions(), and declare the positions read with Regularizer.positionsRead");
        }
        return logits;
    }

    /** Whether the logits are sequence logits [B, T, V] (whole or as rows). */
    public boolean isSequence() {
        return sequenceShape.dimension() == 3;
    }

    /** The shape of the whole logits, [B, C] or [B, T, V], also when only some rows were given. */
    public Shape sequenceShape() {
        return sequenceShape;
    }

    /** Whether the logits of every position are present ({@link #logits()} works). */
    public boolean hasAllPositions() {
        return logits != null;
    }

    /**
     * The sequence logits as rows [N, V], with gradient: the rows given to {@code setLogitRows}, or the whole
     * logits reshaped to [B*T, V] (a view; the same array on every call).
     */
    public NDArray logitRows() {
        requireSequence();
        return logitRows != null ? logitRows
                : memo("balora.logitRows", () -> logits.reshape(sequenceShape.get(0) * sequenceShape.get(1),
                        sequenceShape.get(2)));
    }

    /** The flat position {@code b * T + t} of each row of {@link #logitRows()}, increasing. */
    public int[] rowPositions() {
        requireSequence();
        if (positions != null) {
            return positions.clone();
        }
        int n = Math.toIntExact(sequenceShape.get(0) * sequenceShape.get(1));
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /**
     * The rows of {@code rows} (laid out as {@link #logitRows()}) at the valid positions: {@code rows} itself when
     * they are exactly the given rows, else a gather (gradient flows back to the picked rows).
     *
     * @param rows [N, V] in the layout of {@link #logitRows()}, e.g. it or {@link #referenceRows()}
     * @param valid flags over the flat positions, length B*T
     * @return [n, V], null when no position is valid
     * @throws IllegalArgumentException when a valid position is not among the given rows
     */
    public NDArray rowsAt(NDArray rows, boolean[] valid) {
        requireSequence();
        long[] index = RowIndex.of(positions, Math.toIntExact(sequenceShape.get(0) * sequenceShape.get(1)), valid);
        if (index == null) {
            return null;
        }
        if (index.length == rows.getShape().get(0)) {
            return rows;
        }
        return rows.get(dev.balora.nn.EngineArrays.own(rows.getManager().create(index)));
    }

    private void requireSequence() {
        if (!isSequence()) {
            throw new IllegalStateException("rows need sequence logits [B, T, V], got " + sequenceShape);
        }
    }

    /**
     * Logits of the reference pass in the layout of the logits (same shape as {@link #logits()}, or as
     * {@link #logitRows()} when only rows were given), no gradient.
     */
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

    /** The reference logits as rows in the layout of {@link #logitRows()}, or a clear error naming who needs them. */
    public NDArray requireReferenceRows(String who) {
        NDArray ref = requireReferenceLogits(who);
        requireSequence();
        return logits == null ? ref : memo("balora.referenceRows", () -> ref.reshape(sequenceShape.get(0)
                * sequenceShape.get(1), sequenceShape.get(2)));
    }

    /**
     * A value a regularizer derived from the reference outputs in the reference pass ({@link
     * Regularizer#referenceValues}), no gradient.
     *
     * @param key the key the regularizer chose
     * @return the value, absent when the reference pass did not precompute it
     */
    public Optional<NDArray> referenceValue(String key) {
        return Optional.ofNullable(referenceValues.get(key));
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

    /** Builder of {@link RegularizerInput}; {@code setLogits} or {@code setLogitRows} is required. */
    public static final class Builder {
        private NDArray logits;
        private NDArray logitRows;
        private int[] positions;
        private int rowsBatch;
        private int rowsTime;
        private NDArray referenceLogits;
        private Map<String, NDArray> referenceValues = Map.of();
        private NDArray tokenMask;
        private NDArray labels;
        private int ignoreIndex = DEFAULT_IGNORE_INDEX;
        private NDArray hiddenStates;
        private NDArray referenceHiddenStates;
        private long step;
        private long totalSteps = 1;
        private boolean checkFinite = true;

        private Builder() {}

        /** Logits of the fine-tuned pass, [B, C] or [B, T, V]; or use {@link #setLogitRows}. */
        public Builder setLogits(NDArray logits) {
            this.logits = Objects.requireNonNull(logits, "logits");
            return this;
        }

        /**
         * Sequence logits of the fine-tuned pass at some positions only, instead of {@link #setLogits}.
         *
         * @param rows [N, V], with gradient
         * @param positions the flat position {@code b * T + t} of each row, strictly increasing, in [0, B*T)
         * @param batch B
         * @param time T
         */
        public Builder setLogitRows(NDArray rows, int[] positions, int batch, int time) {
            this.logitRows = Objects.requireNonNull(rows, "rows");
            this.positions = Objects.requireNonNull(positions, "positions").clone();
            this.rowsBatch = batch;
            this.rowsTime = time;
            return this;
        }

        /** Logits of the reference pass in the logits' layout (same shape, or [N, V] rows), without gradient. */
        public Builder optReferenceLogits(NDArray referenceLogits) {
            this.referenceLogits = referenceLogits;
            return this;
        }

        /** Values the regularizers derived from the reference outputs in the reference pass, by their keys. */
        public Builder optReferenceValues(Map<String, NDArray> values) {
            this.referenceValues = Map.copyOf(values);
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
         * @throws IllegalArgumentException on missing or doubly given logits, mismatched shapes, bad steps or non-finite values
         */
        public RegularizerInput build() {
            if ((logits == null) == (logitRows == null)) {
                throw new IllegalArgumentException("RegularizerInput: give exactly one of setLogits and setLogitRows");
            }
            Shape shape;
            if (logits != null) {
                shape = logits.getShape();
                if (shape.dimension() != 2 && shape.dimension() != 3) {
                    throw new IllegalArgumentException("RegularizerInput: logits must be [B, C] or [B, T, V], got "
                            + shape);
                }
                if (referenceLogits != null && !referenceLogits.getShape().equals(shape)) {
                    throw new IllegalArgumentException("RegularizerInput: reference logits "
                            + referenceLogits.getShape() + " do not match the logits " + shape);
                }
            } else {
                Shape rs = logitRows.getShape();
                if (rs.dimension() != 2 || rs.get(0) != positions.length || rowsBatch < 1 || rowsTime < 1) {
                    throw new IllegalArgumentException("RegularizerInput: logit rows must be [N, V] with one position"
                            + " each and B, T >= 1, got rows " + rs + ", " + positions.length + " positions, B = "
                            + rowsBatch + ", T = " + rowsTime);
                }
                for (int i = 0; i < positions.length; i++) {
                    if (positions[i] < 0 || positions[i] >= (long) rowsBatch * rowsTime
                            || i > 0 && positions[i] <= positions[i - 1]) {
                        throw new IllegalArgumentException("RegularizerInput: row positions must increase strictly"
                                + " within [0, B*T = " + (long) rowsBatch * rowsTime + "), got " + positions[i]
                                + " at row " + i);
                    }
                }
                if (referenceLogits != null && !referenceLogits.getShape().equals(rs)) {
                    throw new IllegalArgumentException("RegularizerInput: reference rows " + referenceLogits.getShape()
                            + " do not match the logit rows " + rs);
                }
                shape = new Shape(rowsBatch, rowsTime, rs.get(1));
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
                FiniteCheck.require(logits != null ? logits : logitRows, "logits of the fine-tuned pass" + at);
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
