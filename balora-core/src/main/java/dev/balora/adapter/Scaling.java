package dev.balora.adapter;

/** The one place the LoRA scaling s is computed: {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA. */
public final class Scaling {

    private Scaling() {}

    /**
     * The scaling factor s of {@code y = x W^T + s (x A^T) B^T}.
     *
     * @param alpha lora_alpha
     * @param rank r
     * @param rslora whether rank-stabilised scaling is used
     * @return s
     */
    public static double of(double alpha, int rank, boolean rslora) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        return rslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /**
     * The alpha that keeps s unchanged when the rank is doubled (PiSSA-to-LoRA conversion): {@code 2 alpha}, or
     * {@code sqrt(2) alpha} with rsLoRA.
     */
    public static double alphaForDoubledRank(double alpha, boolean rslora) {
        return rslora ? alpha * Math.sqrt(2.0) : alpha * 2.0;
    }
}
