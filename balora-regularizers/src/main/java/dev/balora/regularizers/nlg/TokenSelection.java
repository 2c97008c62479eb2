package dev.balora.regularizers.nlg;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RegularizerInput;
import java.util.Objects;

/**
 * Which token positions of [B, T, V] logits an NLG term uses.
 *
 * <p>Masked selection takes, in order of precedence: the input's token mask (already aligned by the caller), the
 * labels under this selection's {@link MaskAlignment}, or every position when neither is given.
 *
 * @param masked false: every position, padding included (the December-2024 code)
 * @param alignment how labels map to logit positions when the mask is derived from them
 */
public record TokenSelection(boolean masked, MaskAlignment alignment) {

    /** Validates. */
    public TokenSelection {
        Objects.requireNonNull(alignment, "alignment");
    }

    /** Response tokens, derived from the labels with the given alignment unless a token mask is given. */
    public static TokenSelection masked(MaskAlignment alignment) {
        return new TokenSelection(true, alignment);
    }

    /** Every position. */
    public static TokenSelection all() {
        return new TokenSelection(false, MaskAlignment.SHIFTED);
    }

    /**
     * The valid positions of the input, row-major [B, T] (a small host copy of the mask or labels).
     *
     * @param in sequence input, logits [B, T, V]
     * @return valid flags, length B*T
     */
    public boolean[] validPositions(RegularizerInput in) {
        Shape shape = in.logits().getShape();
        int batch = Math.toIntExact(shape.get(0));
        int time = Math.toIntExact(shape.get(1));
        boolean[] valid = new boolean[batch * time];
        if (masked && in.tokenMask().isPresent()) {
            float[] mask = in.tokenMask().get().toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < valid.length; i++) {
                valid[i] = mask[i] != 0;
            }
        } else if (masked && in.labels().isPresent()) {
            long[] labels = in.labels().get().toType(DataType.INT64, false).toLongArray();
            valid = alignment.validPositions(labels, batch, time, in.ignoreIndex());
        } else {
            java.util.Arrays.fill(valid, true);
        }
        return valid;
    }

    /**
     * The fine-tuned logits of this selection's positions as rows [N, V], shared by every term of the micro-batch
     * (one gather, one backward scatter); null when no position is valid.
     */
    public NDArray logitRows(RegularizerInput in) {
        return in.memo("rows:" + this, () -> rows(in.logits(), valid(in)));
    }

    /** The reference logits of this selection's positions as rows [N, V] (shared); null when none is valid. */
    public NDArray referenceRows(RegularizerInput in, String who) {
        return in.memo("refRows:" + this, () -> rows(in.requireReferenceLogits(who).stopGradient(), valid(in)));
    }

    /** {@link #validPositions}, computed once per input. */
    public boolean[] valid(RegularizerInput in) {
        return in.memo("valid:" + this, () -> validPositions(in));
    }

    /**
     * The logits of the valid positions as rows.
     *
     * @param logits [B, T, V], with gradient
     * @param valid flags from {@link #validPositions}, length B*T
     * @return [N, V] with N the number of valid positions (gradient flows back to the selected rows); null when
     *     N = 0
     */
    public static NDArray rows(NDArray logits, boolean[] valid) {
        Shape shape = logits.getShape();
        NDArray flat = logits.reshape(shape.get(0) * shape.get(1), shape.get(2));
        int n = 0;
        for (boolean v : valid) {
            n += v ? 1 : 0;
        }
        if (n == 0) {
            return null;
        }
        if (n == valid.length) {
            return flat;
        }
        long[] index = new long[n];
        for (int i = 0, j = 0; i < valid.length; i++) {
            if (valid[i]) {
                index[j++] = i;
            }
        }
        return flat.get(EngineArrays.own(logits.getManager().create(index)));
    }

    /** How many positions are valid. */
    public static int count(boolean[] valid) {
        int n = 0;
        for (boolean v : valid) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
