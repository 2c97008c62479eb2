package dev.balora.regularizers.nlu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.Scalars;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diversity of the logits over the batch (VICReg-style): with {@code Zc = z - mean_B(z)} and
 * {@code Cov = Zc^T Zc / (B - 1)} [C, C], the term is {@code (1/C) * sum_{i != j} Cov_ij^2}.
 *
 * <p>A batch of one has no covariance: the term is then 0 (with a warning, once), where the reference code
 * divides by zero and returns NaN.
 */
public final class CovarianceDiversity implements Regularizer {
    private static final Logger LOG = LoggerFactory.getLogger(CovarianceDiversity.class);
    private final AtomicBoolean warnedSingleRow = new AtomicBoolean();

    @Override
    public String name() {
        return "diversity";
    }

    @Override
    public NDArray compute(RegularizerInput in) {
        NDArray z = in.logits();
        Shape shape = z.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("regularizer 'diversity' works on logits [B, C], got " + shape
                    + " (use the nlg terms for sequence logits)");
        }
        long batch = shape.get(0);
        long classes = shape.get(1);
        if (batch < 2) {
            if (warnedSingleRow.compareAndSet(false, true)) {
                LOG.warn("covariance diversity needs a batch of at least 2, got {}: the term is skipped (0) for"
                        + " such batches", batch);
            }
            return z.getManager().zeros(new Shape(), z.getDataType());
        }
        NDArray centered = z.sub(z.mean(new int[] {0}, true));
        NDArray cov = Scalars.div(centered.transpose().matMul(centered), batch - 1);
        NDArray offMask = z.getManager().ones(new Shape(classes, classes), z.getDataType())
                .sub(z.getManager().eye((int) classes).toType(z.getDataType(), false));
        return Scalars.div(cov.mul(offMask).square().sum(), classes);
    }
}
