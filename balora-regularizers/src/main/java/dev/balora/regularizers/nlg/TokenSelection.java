package dev.balora.regularizers.nlg;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.TokenLayout;
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
     * @param in sequence input, logits [B, T, V] (whole or as rows)
     * @return valid flags, length B*T
     */
    public boolean[] validPositions(RegularizerInput in) {
        return validPositions(TokenLayout.of(in));
    }

    /**
     * The valid positions of a batch layout, row-major [B, T].
     *
     * @param layout labels and token mask of the batch
     * @return valid flags, length B*T
     */
    public boolean[] validPositions(TokenLayout layout) {
        boolean[] valid;
        if (masked && layout.tokenMask() != null) {
            valid = layout.tokenMask().clone();
        } else if (masked && layout.labels() != null) {
            valid = alignment.validPositions(layout.labels(), layout.batch(), layout.time(), layout.ignoreIndex());
        } else {
            valid = new boolean[layout.batch() * layout.time()];
            java.util.Arrays.fill(valid, true);
        }
        return valid;
    }

    /**
     * What a term with this selection declares through {@link dev.balora.objective.Regularizer#positionsRead}: its
     * valid positions when masked, null (every position, whole logits) otherwise.
     */
    public boolean[] positionsRead(TokenLayout layout) {
        return masked ? validPositions(layout) : null;
    }

    /**
     * The fine-tuned logits of this selection's positions as rows [N, V], shared by every term of the micro-batch
     * (at most one gather and one backward scatter, none when the input's rows are exactly these positions); null
     * when no position is valid.
     */
    public NDArray logitRows(RegularizerInput in) {
        return in.memo("rows:" + this, () -> in.rowsAt(in.logitRows(), valid(in)));
    }

    /** The reference logits of this selection's positions as rows [N, V] (shared); null when none is valid. */
    public NDArray referenceRows(RegularizerInput in, String who) {
        return in.memo("refRows:" + this, () -> in.rowsAt(in.requireReferenceRows(who).stopGradient(), valid(in)));
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
