package dev.balora.regularizers.nlu;

import ai.djl.ndarray.NDArray;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;

/**
 * Consistency with the reference pass: {@code mean over B*C of (z_ft / max(||z_ft||, 1e-12) - z_ref /
 * max(||z_ref||, 1e-12))^2}, rows normalised over the last axis.
 *
 * <p>On logits this is BA-LoRA's NLU term. On pooled hidden states it is the representation-level variant: with a
 * newly initialised classification head the reference logits come from a random head and carry no pre-trained
 * knowledge, whereas the reference hidden states do.
 */
public final class NormalizedConsistency implements Regularizer {
    private static final double NORM_EPS = 1e-12;
    private final Source source;

    /** What the term compares. */
    public enum Source {
        /** The logits [B, C] (BA-LoRA's term). */
        LOGITS,
        /** The pooled hidden states [B, H] (the representation-level variant). */
        HIDDEN_STATES
    }

    /** @param source what to compare */
    public NormalizedConsistency(Source source) {
        this.source = java.util.Objects.requireNonNull(source, "source");
    }

    /** BA-LoRA's term, on the logits. */
    public static NormalizedConsistency onLogits() {
        return new NormalizedConsistency(Source.LOGITS);
    }

    /** The representation-level variant, on the pooled hidden states. */
    public static NormalizedConsistency onHiddenStates() {
        return new NormalizedConsistency(Source.HIDDEN_STATES);
    }

    @Override
    public String name() {
        return source == Source.LOGITS ? "consistency" : "hidden_consistency";
    }

    @Override
    public boolean readsHiddenStates() {
        return source == Source.HIDDEN_STATES;
    }

    @Override
    public NDArray compute(RegularizerInput in) {
        NDArray ft;
        NDArray ref;
        if (source == Source.LOGITS) {
            ft = in.logits();
            ref = in.requireReferenceLogits(name());
        } else {
            ft = in.hiddenStates().orElseThrow(() -> new IllegalStateException("regularizer '" + name()
                    + "' needs the pooled hidden states of both passes: pass them with optHiddenStates"));
            ref = in.referenceHiddenStates().orElseThrow();
        }
        if (ft.getShape().dimension() != 2) {
            throw new IllegalArgumentException("regularizer '" + name() + "' works on [B, C] arrays, got "
                    + ft.getShape() + " (use the nlg terms for sequence logits)");
        }
        NDArray a = ft.normalize(2, 1, NORM_EPS);
        NDArray b = ref.stopGradient().normalize(2, 1, NORM_EPS);
        return a.sub(b).square().mean();
    }
}
