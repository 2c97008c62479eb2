package dev.balora.objective;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Host copies of what decides which token positions of a sequence batch count: the unshifted labels and an optional
 * token mask, row-major [B, T]. Lets a task ask its regularizers, before any logit exists, which positions they read
 * ({@link Regularizer#positionsRead}).
 *
 * @param batch B
 * @param time T
 * @param labels target ids, length B*T, or null when not given
 * @param ignoreIndex the label value of ignored positions
 * @param tokenMask valid positions already aligned with the logits, length B*T, or null when not given
 */
public record TokenLayout(int batch, int time, long[] labels, int ignoreIndex, boolean[] tokenMask) {

    /** Validates the lengths. */
    public TokenLayout {
        if (batch < 1 || time < 1) {
            throw new IllegalArgumentException("token layout needs B, T >= 1, got " + batch + " x " + time);
        }
        if (labels != null && labels.length != batch * time || tokenMask != null && tokenMask.length != batch * time) {
            throw new IllegalArgumentException("token layout: labels and mask must hold B*T = " + batch * time
                    + " values");
        }
    }

    /** The layout of a sequence input (reads its labels and token mask to the host). */
    public static TokenLayout of(RegularizerInput in) {
        if (!in.isSequence()) {
            throw new IllegalArgumentException("token layout needs sequence logits [B, T, V], got "
                    + in.sequenceShape());
        }
        long[] labels = in.labels().map(l -> l.toType(DataType.INT64, false).toLongArray()).orElse(null);
        boolean[] mask = null;
        if (in.tokenMask().isPresent()) {
            float[] m = in.tokenMask().get().toType(DataType.FLOAT32, false).toFloatArray();
            mask = new boolean[m.length];
            for (int i = 0; i < m.length; i++) {
                mask[i] = m[i] != 0;
            }
        }
        return new TokenLayout((int) in.sequenceShape().get(0), (int) in.sequenceShape().get(1), labels,
                in.ignoreIndex(), mask);
    }

    /** The positions whose NEXT label is a target: the rows the shifted causal-LM cross-entropy reads. */
    public boolean[] shiftedTargets() {
        boolean[] valid = new boolean[batch * time];
        if (labels == null) {
            Arrays.fill(valid, true);
            for (int b = 0; b < batch; b++) {
                valid[b * time + time - 1] = false;
            }
            return valid;
        }
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t + 1 < time; t++) {
                valid[b * time + t] = labels[b * time + t + 1] != ignoreIndex;
            }
        }
        return valid;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenLayout l && batch == l.batch && time == l.time && ignoreIndex == l.ignoreIndex
                && Arrays.equals(labels, l.labels) && Arrays.equals(tokenMask, l.tokenMask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(labels) + Arrays.hashCode(tokenMask)) + batch * 7 + time;
    }

    @Override
    public String toString() {
        return "TokenLayout[" + batch + " x " + time + (labels == null ? "" : ", labels")
                + (tokenMask == null ? "" : ", mask") + "]";
    }
}
