package dev.balora.regularizers.nlg;

/** How label positions map to logit positions when the valid tokens are derived from the labels. */
public enum MaskAlignment {
    /**
     * The logit at t counts when label t+1 is a target, exactly the positions the shifted causal-LM cross-entropy
     * uses; the last position never counts. The default.
     */
    SHIFTED,
    /**
     * The logit at t counts when label t is a target, as the ICLR code does: one position off the task loss, it
     * leaves out the last prompt position (which predicts the first response token) and includes the last
     * response position (which predicts past the end). Offered to reproduce that code.
     */
    UNSHIFTED;

    /**
     * Valid logit positions from labels.
     *
     * @param labels label ids, row-major [B, T]
     * @param batch B
     * @param time T
     * @param ignoreIndex the label value of ignored positions
     * @return valid flags, row-major [B, T]
     */
    public boolean[] validPositions(long[] labels, int batch, int time, long ignoreIndex) {
        boolean[] valid = new boolean[batch * time];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                int source = this == SHIFTED ? t + 1 : t;
                valid[b * time + t] = source < time && labels[b * time + source] != ignoreIndex;
            }
        }
        return valid;
    }
}
