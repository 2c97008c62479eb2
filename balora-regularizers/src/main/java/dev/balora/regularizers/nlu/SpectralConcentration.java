package dev.balora.regularizers.nlu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Regularizer;
import dev.balora.linalg.HostLinalg;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.Scalars;
import dev.balora.regularizers.spectral.SingularValueRatio;
import dev.balora.regularizers.spectral.SpectralDenominator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NLU singular-value term: {@code -(sum of the top-k singular values of z [B, C]) / (sum of all + eps)}.
 *
 * <p>When {@code k >= min(B, C)} the nuclear-norm ratio is the constant -1 (up to eps) and gives no gradient: the term
 * is then returned as a constant without singular vectors (logged once).
 */
public final class SpectralConcentration implements Regularizer {
    private static final Logger LOG = LoggerFactory.getLogger(SpectralConcentration.class);
    private final SingularValueRatio ratio;
    private final AtomicBoolean warnedConstant = new AtomicBoolean();

    /** @param ratio the ratio's configuration (the NLU code: k = 3, nuclear denominator, eps = 1e-10) */
    public SpectralConcentration(SingularValueRatio ratio) {
        this.ratio = java.util.Objects.requireNonNull(ratio, "ratio");
    }

    /** The NLU code's form with k leading values: nuclear denominator, eps = 1e-10, exact decomposition. */
    public static SpectralConcentration topK(int k) {
        return new SpectralConcentration(SingularValueRatio.builder().setTopK(k).optEpsilon(1e-10).build());
    }

    @Override
    public String name() {
        return "svd";
    }

    @Override
    public NDArray compute(RegularizerInput in) {
        NDArray z = in.logits();
        Shape shape = z.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("regularizer 'svd' (NLU) works on logits [B, C], got " + shape
                    + " (use nlg.SpectralConcentration for sequence logits)");
        }
        if (ratio.denominator() == SpectralDenominator.NUCLEAR
                && ratio.topK() >= Math.min(shape.get(0), shape.get(1))) {
            if (warnedConstant.compareAndSet(false, true)) {
                LOG.warn("svd regularizer: k = {} >= min(B, C) = {} for logits {}: the ratio is constant and gives no"
                        + " gradient", ratio.topK(), Math.min(shape.get(0), shape.get(1)), shape);
            }
            return constantRatio(z);
        }
        return ratio.compute(z, in.step());
    }

    /**
     * {@code -S / (S + eps)} with S the nuclear norm, as a constant: every singular value is in the numerator, so the
     * only gradient is {@code -eps / (S + eps)^2 U V^T}, which is nothing but rounding noise of the epsilon. No
     * singular vectors are formed and none enter the graph (binary SST-2 logits are [B, 2]: this is the common case).
     */
    private NDArray constantRatio(NDArray z) {
        double[] s = HostLinalg.singularValues(HostLinalg.toHost(z.stopGradient()));
        double nuclear = 0;
        for (double x : s) {
            nuclear += x;
        }
        // Z = 0 (largest value at rounding level): 0, as SingularValueRatio does, rather than 0/0.
        double value = s.length == 0 || !(s[0] > 1e-8) ? 0 : -nuclear / (nuclear + ratio.epsilon());
        return Scalars.like(z, value);
    }
}
