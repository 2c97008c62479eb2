package dev.balora.train;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/**
 * Global-norm gradient clipping ({@code torch.nn.utils.clip_grad_norm_}): all gradients are scaled by
 * {@code maxNorm / (norm + 1e-6)} when their joint L2 norm exceeds {@code maxNorm}, keeping their direction.
 * DJL's optimizers only clamp each element, which changes the direction.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /** The L2 norm of all gradients together, summed per tensor in float, across tensors in double. */
    public static double globalNorm(Collection<NDArray> grads) {
        double sum = 0;
        for (NDArray g : grads) {
            try (NDArray sq = g.square(); NDArray s = sq.sum()) {
                sum += s.getFloat();
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales the gradients in place when their norm exceeds {@code maxNorm}.
     *
     * @param grads the gradients
     * @param norm their global norm (from {@link #globalNorm})
     * @param maxNorm the largest allowed norm
     * @return the factor applied (1 when nothing was clipped)
     */
    public static double clip(Collection<NDArray> grads, double norm, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double coef = maxNorm / (norm + 1e-6);
        if (coef >= 1.0) {
            return 1.0;
        }
        for (NDArray g : grads) {
            g.muli((float) coef);
        }
        return coef;
    }
}
