package dev.balora.recipe;

import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.regularizers.NlgPreset;
import dev.balora.regularizers.NluPreset;
import dev.balora.regularizers.nlg.MaskAlignment;
import dev.balora.regularizers.nlu.NormalizedConsistency;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The named BA-LoRA objectives, each for one task kind (method.md sections 3 and 4). */
public enum Preset {
    /** github.com/cyp-jlu-ai/BA-LoRA defaults: lambda = 1e-4, 3e-4, 1e-4, k = 3. */
    NLU_CYP_JLU_AI("nlu-cyp-jlu-ai", TaskKind.CLASSIFICATION, false),
    /** The authors' early SST-2 script: lambda = 0.1, 0.01, 0.01, k = 5. */
    NLU_EARLY_SCRIPT("nlu-early-script", TaskKind.CLASSIFICATION, false),
    /**
     * cyp-jlu-ai weights with the consistency term on the pooled hidden states: for a new classification head,
     * whose reference logits come from a random head.
     */
    NLU_CYP_JLU_AI_HIDDEN("nlu-cyp-jlu-ai-hidden", TaskKind.CLASSIFICATION, true),
    /** The early-script weights with the consistency term on the pooled hidden states. */
    NLU_EARLY_SCRIPT_HIDDEN("nlu-early-script-hidden", TaskKind.CLASSIFICATION, true),
    /** The ICLR submission's NLG terms: KL consistency, top-K entropy, randomized singular-value share. */
    NLG_ICLR("nlg-iclr", TaskKind.CAUSAL_LM, false),
    /** The December 2024 code's NLG terms. */
    NLG_DEC2024("nlg-dec2024", TaskKind.CAUSAL_LM, false);

    private final String id;
    private final TaskKind kind;
    private final boolean hiddenConsistency;

    Preset(String id, TaskKind kind, boolean hiddenConsistency) {
        this.id = id;
        this.kind = kind;
        this.hiddenConsistency = hiddenConsistency;
    }

    /** The name used on the command line and in run.json. */
    public String id() {
        return id;
    }

    /** The task kind whose outputs the preset's terms read. */
    public TaskKind kind() {
        return kind;
    }

    /**
     * A fresh objective of this preset.
     *
     * @param alignment for NLG presets, an override of the preset's mask alignment (null keeps it)
     */
    public WeightedObjective objective(MaskAlignment alignment) {
        if (kind == TaskKind.CAUSAL_LM) {
            NlgPreset p = this == NLG_ICLR ? BaLoraPresets.nlgIclr() : BaLoraPresets.nlgDec2024();
            if (alignment != null) {
                p.optMaskAlignment(alignment);
            }
            return p.build();
        }
        NluPreset p = this == NLU_CYP_JLU_AI || this == NLU_CYP_JLU_AI_HIDDEN ? BaLoraPresets.nluCypJluAi()
                : BaLoraPresets.nluEarlyScript();
        if (hiddenConsistency) {
            p.optConsistencySource(NormalizedConsistency.Source.HIDDEN_STATES);
        }
        return p.build();
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * Finds a preset by name.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Preset parse(String name) {
        for (Preset p : values()) {
            if (p.id.equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; known: "
                + Arrays.stream(values()).map(Preset::id).collect(Collectors.joining(", ")));
    }
}
