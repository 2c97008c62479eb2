package dev.balora.app.options;

import dev.balora.recipe.FineTune;
import dev.balora.recipe.Method;
import dev.balora.recipe.Preset;
import dev.balora.regularizers.nlg.MaskAlignment;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Objective options: the method and, for BA-LoRA, its preset. */
// Fields start at their defaultValue too: picocli leaves an unmatched @ArgGroup instance as it was built.
public final class ObjectiveOptions {

    @Option(names = "--method", defaultValue = "balora", paramLabel = "lora|pissa|pissa-fast|balora",
            description = "adapter init and objective (default: ${DEFAULT-VALUE})")
    String method = "balora";

    @Option(names = "--preset", paramLabel = "NAME",
            description = "BA-LoRA's regularizer weights: nlu-cyp-jlu-ai, nlu-early-script, either with -hidden "
                    + "(consistency on the pooled hidden states, for a new head), nlg-iclr, nlg-dec2024 (default: "
                    + "nlu-cyp-jlu-ai for classification, nlg-iclr for causal LM)")
    String preset;

    @Option(names = "--alignment", paramLabel = "shifted|unshifted",
            description = "causal LM with balora: override the preset's token-mask alignment")
    String alignment;

    @Option(names = "--reference-cache-mib", paramLabel = "MIB",
            description = "classification with balora: reference outputs kept across epochs (default: 256, 0 = off)")
    Integer referenceCacheMib;

    /** The method. */
    public Method method() {
        return Method.parse(method);
    }

    /** Puts the method, preset, alignment and cache budget on a recipe builder. */
    public FineTune.Builder applyTo(FineTune.Builder b) {
        b.setMethod(method());
        if (preset != null) {
            b.optPreset(Preset.parse(preset));
        }
        if (alignment != null) {
            try {
                b.optMaskAlignment(MaskAlignment.valueOf(alignment.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown --alignment '" + alignment + "'; use shifted or unshifted",
                        e);
            }
        }
        if (referenceCacheMib != null) {
            b.optReferenceCacheMib(referenceCacheMib);
        }
        return b;
    }
}
