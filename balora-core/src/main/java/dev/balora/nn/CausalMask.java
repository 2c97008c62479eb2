package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The padding-aware causal attention mask and position ids of one decoder step, for left- or right-padded batches.
 *
 * <p>Slot {@code j} of a row is visible to the query in slot {@code i} when {@code j <= i} and the padding mask marks
 * {@code j} real. The position of a real token is the number of real tokens before it, so a left-padded prompt
 * gets the same positions as the unpadded one.
 */
public final class CausalMask {
    /** Added to the scores of hidden slots; finite so a fully hidden row (a pad query) gives no NaN. */
    public static final float HIDDEN = -1e9f;

    private final int[][] full; // [batch][past + tokens]
    private final int past;
    private final int tokens;

    private CausalMask(int[][] full, int past, int tokens) {
        this.full = full;
        this.past = past;
        this.tokens = tokens;
    }

    /**
     * Builds the mask of a step.
     *
     * @param paddingMask 1 for real slots, 0 for padding, [batch, past + tokens]; null means all real
     * @param batch rows
     * @param past slots already in the KV cache
     * @param tokens new slots of this step
     * @return the mask
     */
    public static CausalMask of(NDArray paddingMask, int batch, int past, int tokens) {
        int total = past + tokens;
        int[][] full = new int[batch][total];
        if (paddingMask == null) {
            for (int[] row : full) {
                java.util.Arrays.fill(row, 1);
            }
        } else {
            Shape s = paddingMask.getShape();
            if (s.dimension() != 2 || s.get(0) != batch || s.get(1) != total) {
                throw new IllegalArgumentException("attention mask must be [" + batch + ", " + total
                        + "] (batch, cached + new tokens), got " + s);
            }
            int[] flat = paddingMask.toType(DataType.INT32, false).toIntArray();
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < total; j++) {
                    int v = flat[i * total + j];
                    if (v != 0 && v != 1) {
                        throw new IllegalArgumentException("attention mask values must be 0 or 1, got " + v
                                + " at [" + i + ", " + j + "]");
                    }
                    full[i][j] = v;
                }
            }
        }
        return new CausalMask(full, past, tokens);
    }

    /** Position ids of the new slots, [batch][tokens] (padding slots get the position of the last real token). */
    public int[][] positions() {
        int[][] pos = new int[full.length][tokens];
        for (int i = 0; i < full.length; i++) {
            int seen = 0;
            for (int j = 0; j < past + tokens; j++) {
                seen += full[i][j];
                if (j >= past) {
                    pos[i][j - past] = Math.max(0, seen - 1);
                }
            }
        }
        return pos;
    }

    /**
     * The additive mask, [batch, 1, tokens, past + tokens]: 0 where visible, {@link #HIDDEN} elsewhere.
     *
     * @param manager owner of the result
     * @param causal false for bidirectional attention (padding only)
     */
    public NDArray additive(NDManager manager, boolean causal) {
        int b = full.length;
        int total = past + tokens;
        float[] out = new float[b * tokens * total];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < tokens; t++) {
                int base = (i * tokens + t) * total;
                for (int j = 0; j < total; j++) {
                    boolean visible = full[i][j] == 1 && (!causal || j <= past + t);
                    out[base + j] = visible ? 0f : HIDDEN;
                }
            }
        }
        return EngineArrays.own(manager.create(out, new Shape(b, 1, tokens, total)));
    }

    /** Slots of each row (cached plus new). */
    public int length() {
        return past + tokens;
    }
}
