package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.Scalars;
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
        NDArray ref = selection.referenceRows(in, name());
        NDArray logQ = (temperature == 1 ? ft : Scalars.div(ft, temperature)).logSoftmax(-1);
        NDArray logP = (temperature == 1 ? ref : Scalars.div(ref, temperature)).logSoftmax(-1);
        // sum p (log p - log q) as (sum p log p) - (sum p log q): the first part carries no gradient.
        NDArray p = logP.exp();
        NDArray kl = p.mul(logP).sum().sub(p.mul(logQ).sum());
        long divisor = reduction == Reduction.PER_TOKEN ? TokenSelection.count(valid) : logits.getShape().get(0);
        return Scalars.mul(kl, temperature * temperature / divisor);
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
