package dev.balora.regularizers;

import dev.balora.objective.WeightSchedule;
import dev.balora.regularizers.nlg.KlConsistency;
import dev.balora.regularizers.nlg.MaskAlignment;
import dev.balora.regularizers.nlg.TokenSelection;
import dev.balora.regularizers.spectral.SpectralDenominator;
import dev.balora.regularizers.spectral.SpectralMethod;

/**
 * The named BA-LoRA settings of the two public code bases (method.md sections 3 and 4). Each call returns a fresh,
 * overridable preset; {@code build()} turns it into a {@link dev.balora.objective.WeightedObjective}.
 */
public final class BaLoraPresets {

    private BaLoraPresets() {}

    /** NLU, github.com/cyp-jlu-ai/BA-LoRA defaults: lambda = 1e-4, 3e-4, 1e-4 (constant), k = 3. */
    public static NluPreset nluCypJluAi() {
        return new NluPreset(1e-4, 3e-4, 1e-4, 3);
    }

    /** NLU, the authors' early SST-2 script: lambda = 0.1, 0.01, 0.01 (constant), k = 5. */
    public static NluPreset nluEarlyScript() {
        return new NluPreset(0.1, 0.01, 0.01, 5);
    }

    /**
     * NLG, the ICLR code's "paper NLG setting" (github.com/llm172/BA-LoRA): KL at T = 2 per valid token with
     * lambda1 = 0.025 decaying by cosine to 0.1 * lambda1; top-20 renormalised entropy and the k = 10 ratio with the
     * Frobenius denominator (randomized above 4096 columns: 5 extra columns, 2 power iterations), lambda2 =
     * lambda3 = 0.005 under two-phase (off for 20 % of the steps, 5 % ramp). Valid tokens use the SHIFTED
     * alignment of the task loss; {@code optMaskAlignment(MaskAlignment.UNSHIFTED)} reproduces the code exactly.
     */
    public static NlgPreset nlgIclr() {
        return new NlgPreset(0.025, 0.005, 0.005)
                .optConsistency(0.025, WeightSchedule.cosineDecay(0.1))
                .optTemperature(2.0)
                .optKlReduction(KlConsistency.Reduction.PER_TOKEN)
                .optDiversity(0.005, WeightSchedule.twoPhase(0.2, 0.05))
                .optEntropyTopK(20)
                .optSvd(0.005, WeightSchedule.twoPhase(0.2, 0.05))
                .optSvdShape(10, SpectralDenominator.FROBENIUS, SpectralMethod.AUTO)
                .optMaskAlignment(MaskAlignment.SHIFTED);
    }

    /**
     * NLG, the December-2024 code (github.com/cyp-jlu-ai/BA-LoRA): lambda = 1e-4, 3e-4, 1e-4 (constant); KL with no
     * temperature summed over every position and divided by B; full-vocabulary entropy; k = 3 ratio with the
     * nuclear-norm denominator; no mask. The code's SVD indexing fails on a 1-D spectrum; here the rows of Z are all
     * B*T positions. The nuclear norm needs every singular value (a Gram product as large as the LM head's).
     */
    public static NlgPreset nlgDec2024() {
        return new NlgPreset(1e-4, 3e-4, 1e-4)
                .optTemperature(1.0)
                .optKlReduction(KlConsistency.Reduction.PER_SEQUENCE)
                .optEntropyTopK(0)
                .optSvdShape(3, SpectralDenominator.NUCLEAR, SpectralMethod.AUTO)
                .optSelection(TokenSelection.all());
    }
}
