package dev.balora.app;

import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.regularizers.nlu.NormalizedConsistency;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The BA-LoRA NLU presets selectable with {@code --preset}, by command-line name. */
public enum Preset {
    /** github.com/cyp-jlu-ai/BA-LoRA defaults: lambda = 1e-4, 3e-4, 1e-4, k = 3. */
    NLU_CYP_JLU_AI("nlu-cyp-jlu-ai", () -> BaLoraPresets.nluCypJluAi().build()),
    /** The authors' early SST-2 script: lambda = 0.1, 0.01, 0.01, k = 5. */
    NLU_EARLY_SCRIPT("nlu-early-script", () -> BaLoraPresets.nluEarlyScript().build()),
    /**
     * cyp-jlu-ai weights with the consistency term on the pooled hidden states: for a new classification head,
     * whose reference logits come from a random head (method.md section 3).
     */
    NLU_CYP_JLU_AI_HIDDEN("nlu-cyp-jlu-ai-hidden", () -> BaLoraPresets.nluCypJluAi()
            .optConsistencySource(NormalizedConsistency.Source.HIDDEN_STATES).build()),
    /** The early-script weights with the consistency term on the pooled hidden states (see above). */
    NLU_EARLY_SCRIPT_HIDDEN("nlu-early-script-hidden", () -> BaLoraPresets.nluEarlyScript()
            .optConsistencySource(NormalizedConsistency.Source.HIDDEN_STATES).build());

    private final String id;
    private final Supplier<WeightedObjective> objective;

    Preset(String id, Supplier<WeightedObjective> objective) {
        this.id = id;
        this.objective = objective;
    }

    /** The command-line name. */
    public String id() {
        return id;
    }

    /** A fresh objective of this preset. */
    public WeightedObjective objective() {
        return objective.get();
    }

    /**
     * Finds a preset by its command-line name.
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
