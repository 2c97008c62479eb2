package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.Scalars;
import dev.balora.regularizers.Surrogate;
import java.util.Objects;

/**
 * KL consistency with the reference pass at temperature T: with {@code q = softmax(z / T)},
 * {@code T^2 * sum over the selected tokens of KL(q_ref || q_ft)}, divided by the number of selected tokens
 * (ICLR code) or by the batch size B (December-2024 code, "batchmean").
 */
public final class KlConsistency implements Regularizer {
    private final double temperature;
    private final TokenSelection selection;
    private final Reduction reduction;

    /** What the summed KL is divided by. */
    public enum Reduction {
        /** The number of selected tokens (ICLR code); 0 when none is selected. */
        PER_TOKEN,
        /** The batch size B (December-2024 code). */
        PER_SEQUENCE
    }

    private KlConsistency(Builder b) {
        this.temperature = b.temperature;
        this.selection = b.selection;
        this.reduction = b.reduction;
    }

    /** A builder with the ICLR defaults: T = 2, shifted masked tokens, per-token mean. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "consistency";
    }

    /** The temperature. */
    public double temperature() {
        return temperature;
    }

    @Override
    public NDArray compute(RegularizerInput in) {
        NDArray logits = NlgInputs.requireSequence(in, name());
        boolean[] valid = selection.valid(in);
        NDArray ft = selection.logitRows(in);
        if (ft == null) {
            return logits.getManager().zeros(new Shape(), logits.getDataType());
        }
        long divisor = reduction == Reduction.PER_TOKEN ? TokenSelection.count(valid) : logits.getShape().get(0);
        double scale = temperature * temperature / divisor;
        // The reference rows are KL's own: a gather copy (when some position is left out) is overwritten in place.
        NDArray ref = TokenSelection.rows(in.requireReferenceLogits(name()).stopGradient(), valid);
        boolean owned = TokenSelection.count(valid) < valid.length;
        DetachedSoftmax p = DetachedSoftmax.of(ref, temperature, owned);
        DetachedSoftmax q = DetachedSoftmax.of(ft.stopGradient(), temperature, false);
        // sum p (log p - log q) without cancellation: the difference in place in log p, then row-wise dots.
        double kl = Surrogate.dot(p.p(), p.logP().subi(q.logP())).toType(DataType.FLOAT64, false).getDouble();
        p.logP().close();
        q.logP().close();
        // d/dz_ft of T^2 KL(p || q), q = softmax(z_ft / T), is T (q - p): built in p's buffer.
        NDArray gradient = p.p().subi(q.p()).muli(Scalars.like(ft, -scale / temperature));
        q.p().close();
        return Surrogate.of(ft, gradient, scale * kl);
    }

    /** Builder of {@link KlConsistency}. */
    public static final class Builder {
        private double temperature = 2.0;
        private TokenSelection selection = TokenSelection.masked(MaskAlignment.SHIFTED);
        private Reduction reduction = Reduction.PER_TOKEN;

        private Builder() {}

        /** Softmax temperature T > 0 (default 2); the result is scaled by T^2. */
        public Builder optTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Which positions count (default: masked, shifted). */
        public Builder optSelection(TokenSelection selection) {
            this.selection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        /** What the summed KL is divided by (default PER_TOKEN). */
        public Builder optReduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /** Validates and builds. */
        public KlConsistency build() {
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("KL consistency: temperature must be finite and > 0, got "
                        + temperature);
            }
            return new KlConsistency(this);
        }
    }
}
