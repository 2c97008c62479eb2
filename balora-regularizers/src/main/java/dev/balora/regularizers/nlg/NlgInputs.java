package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.RowGradient;
import java.util.function.Supplier;

/** Checks shared by the NLG terms. */
final class NlgInputs {

    private NlgInputs() {}

    /** Checks that the logits are [B, T, V] (whole or as rows). */
    static void requireSequence(RegularizerInput in, String who) {
        if (!in.isSequence()) {
            throw new IllegalArgumentException("regularizer '" + who + "' (NLG) works on logits [B, T, V], got "
                    + in.sequenceShape() + " (use the nlu terms for [B, C] logits)");
        }
    }

    /**
     * A term's hand-built value and gradient with respect to its selected rows.
     *
     * @param rows the selected logit rows [n, V], with gradient
     * @param gradient [n, V], without gradient
     * @param value the term's value
     */
    record Hand(NDArray rows, NDArray gradient, double value) {

        /** The term as a scalar with this gradient. */
        NDArray attach() {
            return RowGradient.attach(rows, gradient, value);
        }
    }

    /**
     * What {@link dev.balora.objective.Regularizer#gradientOnRows} returns for a term whose selected rows are
     * {@code rows}: the hand-built gradient when those rows are exactly the input's logit rows, else null.
     */
    static RowGradient onRows(RegularizerInput in, NDArray rows, Supplier<Hand> hand) {
        if (rows == null || rows != in.logitRows()) {
            return null;
        }
        Hand h = hand.get();
        return h == null ? null : new RowGradient(h.value(), h.gradient());
    }

    /** A scalar 0 in the logits' type (a term with no selected token). */
    static NDArray zero(RegularizerInput in) {
        NDArray rows = in.logitRows();
        return rows.getManager().zeros(new Shape(), rows.getDataType());
    }
}
