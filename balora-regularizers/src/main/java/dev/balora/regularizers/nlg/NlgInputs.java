package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RegularizerInput;

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

    /** A scalar 0 in the logits' type (a term with no selected token). */
    static NDArray zero(RegularizerInput in) {
        NDArray rows = in.logitRows();
        return rows.getManager().zeros(new Shape(), rows.getDataType());
    }
}
