package dev.balora.app.options;

import dev.balora.recipe.AdapterSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Adapter options ({@code adapt}, {@code finetune}, {@code bench}): PEFT's LoraConfig fields. */
// Fields start at their defaultValue too: picocli leaves an unmatched @ArgGroup instance as it was built.
public final class AdapterOptions {

    @Option(names = "--targets", paramLabel = "all-linear|NAME,...",
            description = "modules that get adapters: all-linear (every Linear but the output heads) or names "
                    + "matched by suffix, e.g. q_proj,v_proj (default: all-linear)")
    String targets;

    @Option(names = "--target-regex", paramLabel = "REGEX",
            description = "modules that get adapters, as one full-match regular expression of module paths "
                    + "(instead of --targets)")
    String targetRegex;

    @Option(names = "--exclude", split = ",", paramLabel = "NAME",
            description = "module names never adapted (PEFT exclude_modules)")
    List<String> exclude;

    @Option(names = "--exclude-regex", paramLabel = "REGEX",
            description = "modules never adapted, as one full-match regular expression")
    String excludeRegex;

    @Option(names = "--rank", defaultValue = "8", description = "adapter rank r (default: ${DEFAULT-VALUE})")
    int rank = 8;

    @Option(names = "--alpha", description = "lora_alpha (default: 2r for classification, r for causal LM)")
    Double alpha;

    @Option(names = "--rank-pattern", paramLabel = "REGEX=R",
            description = "a per-module rank, e.g. --rank-pattern '.*\\.q_proj=16' (repeatable)")
    Map<String, Integer> rankPattern;

    @Option(names = "--alpha-pattern", paramLabel = "REGEX=ALPHA",
            description = "a per-module alpha (repeatable)")
    Map<String, Double> alphaPattern;

    @Option(names = "--rslora", description = "scale by alpha / sqrt(r) instead of alpha / r")
    boolean rslora;

    @Option(names = "--modules-to-save", split = ",", paramLabel = "NAME",
            description = "modules trained in full and saved with the adapter (a classifier's new head always is)")
    List<String> modulesToSave;

    @Option(names = "--lora-dropout", defaultValue = "0",
            description = "adapter dropout (default: ${DEFAULT-VALUE})")
    double dropout = 0;

    @Option(names = "--init", paramLabel = "lora|gaussian|pissa|pissa-fast",
            description = "how A and B start (default: the method's: lora for lora, pissa for pissa and balora, "
                    + "pissa-fast for pissa-fast); with several methods (bench, compare) it applies to those of its "
                    + "family (lora/gaussian, or pissa/pissa-fast)")
    String init;

    @Option(names = "--niter", defaultValue = "4",
            description = "pissa-fast: subspace iterations of the randomized SVD (default: ${DEFAULT-VALUE})")
    int niter = 4;

    @Option(names = "--oversampling", defaultValue = "8",
            description = "pissa-fast: extra random columns of the randomized SVD (default: ${DEFAULT-VALUE})")
    int oversampling = 8;

    /** The recipe's adapter settings (unresolved: defaults that depend on the task kind stay open). */
    public AdapterSettings settings() {
        AdapterSettings.Builder b = AdapterSettings.builder().optRank(rank).optRslora(rslora).optDropout(dropout)
                .optNiter(niter).optOversampling(oversampling);
        if (targetRegex != null) {
            b.optTargetRegex(targetRegex);
        }
        if (targets != null) {
            b.optTargets(targets);
        }
        if (exclude != null) {
            b.optExclude(exclude);
        }
        if (excludeRegex != null) {
            b.optExcludeRegex(excludeRegex);
        }
        if (alpha != null) {
            b.optAlpha(alpha);
        }
        if (rankPattern != null) {
            b.optRankPattern(new LinkedHashMap<>(rankPattern));
        }
        if (alphaPattern != null) {
            b.optAlphaPattern(new LinkedHashMap<>(alphaPattern));
        }
        if (modulesToSave != null) {
            b.optModulesToSave(modulesToSave);
        }
        if (init != null) {
            b.optInit(init);
        }
        return b.build();
    }
}
