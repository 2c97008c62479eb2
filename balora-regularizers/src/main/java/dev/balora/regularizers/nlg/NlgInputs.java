package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import dev.balora.objective.RegularizerInput;

/** Checks shared by the NLG terms. */
final class NlgInputs {

    private NlgInputs() {}

    /** The logits, which must be [B, T, V]. */
    static NDArray requireSequence(RegularizerInput in, String who) {
        if (!in.isSequence()) {
            throw new IllegalArgumentException("regularizer '" + who + "' (NLG) works on logits [B, T, V], got "
                    + in.logits().getShape() + " (use the nlu terms for [B, C] logits)");
        }
        return in.logits();
    }
}
