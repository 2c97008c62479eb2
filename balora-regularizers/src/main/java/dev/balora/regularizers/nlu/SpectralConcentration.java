package dev.balora.regularizers.nlu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.regularizers.spectral.SingularValueRatio;
import dev.balora.regularizers.spectral.SpectralDenominator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NLU singular-value term: {@code -(sum of the top-k singular values of z [B, C]) / (sum of all + eps)}.
 *
 * <p>When {@code k >= min(B, C)} the nuclear-norm ratio is the constant 1 and gives no gradient; this is logged once.
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
                && ratio.topK() >= Math.min(shape.get(0), shape.get(1)) && warnedConstant.compareAndSet(false, true)) {
            LOG.warn("svd regularizer: k = {} >= min(B, C) = {} for logits {}: the ratio is constant and gives no"
                    + " gradient", ratio.topK(), Math.min(shape.get(0), shape.get(1)), shape);
        }
        return ratio.compute(z, in.step());
    }
}
