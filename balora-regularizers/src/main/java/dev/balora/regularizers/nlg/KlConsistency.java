package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.RowGradient;
import dev.balora.objective.TokenLayout;
import dev.balora.objective.Scalars;
import dev.balora.regularizers.Surrogate;
import java.util.Map;
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
    public boolean[] positionsRead(TokenLayout layout) {
        return selection.positionsRead(layout);
    }

    /** The key prefix of the reference distribution that {@link #referenceValues} precomputes. */
    String referenceKey() {
        return name() + ".reference:T=" + temperature + ":" + selection;
    }

    /**
     * The reference distribution at T of the selected rows, {@code log softmax(z_ref / T)} (key {@code
     * referenceKey() + ".logP"}) and {@code softmax(z_ref / T)} (key {@code ... + ".p"}), computed in the reference
     * pass so that the step neither gathers nor normalises the reference logits.
     */
    @Override
    public Map<String, NDArray> referenceValues(RegularizerInput reference) {
        NlgInputs.requireSequence(reference, name());
        boolean[] valid = selection.valid(reference);
        NDArray given = reference.logitRows().stopGradient();
        NDArray rows = reference.rowsAt(given, valid);
        if (rows == null) {
            return Map.of();
        }
        DetachedSoftmax ref = DetachedSoftmax.of(rows, temperature, rows != given);
        return Map.of(referenceKey() + ".logP", ref.logP(), referenceKey() + ".p", ref.p());
    }

    @Override
    public NDArray compute(RegularizerInput in) {
        NlgInputs.Hand h = hand(in);
        return h == null ? NlgInputs.zero(in) : h.attach();
    }

    @Override
    public RowGradient gradientOnRows(RegularizerInput in) {
        NlgInputs.requireSequence(in, name());
        return NlgInputs.onRows(in, selection.logitRows(in), () -> hand(in));
    }

    /** The value and its gradient on the selected rows; null when no token is selected. */
    private NlgInputs.Hand hand(RegularizerInput in) {
        NlgInputs.requireSequence(in, name());
        boolean[] valid = selection.valid(in);
        NDArray ft = selection.logitRows(in);
        if (ft == null) {
            return null;
        }
        long divisor = reduction == Reduction.PER_TOKEN ? TokenSelection.count(valid) : in.sequenceShape().get(0);
        double scale = temperature * temperature / divisor;
        NDArray refLogP = in.referenceValue(referenceKey() + ".logP").filter(v -> v.getShape().equals(ft.getShape()))
                .orElse(null);
        NDArray refP = in.referenceValue(referenceKey() + ".p").filter(v -> v.getShape().equals(ft.getShape()))
                .orElse(null);
        boolean own = refLogP == null || refP == null;
        if (own) {
            // Not precomputed: the reference rows are KL's own (a gather copy when some position is left out, then
            // overwritten in place).
            NDArray given = in.requireReferenceRows(name()).stopGradient();
            NDArray ref = in.rowsAt(given, valid);
            DetachedSoftmax p = DetachedSoftmax.of(ref, temperature, ref != given);
            refLogP = p.logP();
            refP = p.p();
        }
        DetachedSoftmax q = DetachedSoftmax.of(ft.stopGradient(), temperature, false);
        // sum p (log p - log q) without cancellation: the difference in place in log q (KL's own), then row-wise
        // dots; (log q - log p) is exactly -(log p - log q) in floating point.
        double kl = -Surrogate.dot(refP, q.logP().subi(refLogP)).toType(DataType.FLOAT64, false).getDouble();
        q.logP().close();
        // d/dz_ft of T^2 KL(p || q), q = softmax(z_ft / T), is T (q - p): built in q's buffer.
        NDArray gradient = q.p().subi(refP).muli(Scalars.like(ft, scale / temperature));
        if (own) {
            refLogP.close();
            refP.close();
        }
        return new NlgInputs.Hand(ft, gradient, scale * kl);
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
