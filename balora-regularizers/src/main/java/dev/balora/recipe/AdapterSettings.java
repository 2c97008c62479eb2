package dev.balora.recipe;

import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.ModuleSelector;
import dev.balora.model.PretrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What gets an adapter and how it starts: PEFT's {@code LoraConfig} fields under the names the command line uses
 * ({@code --targets}, {@code --rank}, ...). Unset values are null and take the task kind's or the method's default
 * when the recipe resolves them ({@link #resolve}); run.json holds the resolved values.
 *
 * @param targets {@code all-linear} or module names matched by suffix, as PEFT's {@code target_modules} list
 * @param targetRegex one full-match regular expression instead of {@code targets} (null = none)
 * @param exclude module names never adapted (PEFT's {@code exclude_modules}); empty = none
 * @param excludeRegex one full-match regular expression of modules never adapted (null = none)
 * @param rank the rank r
 * @param alpha lora_alpha; null = the task kind's multiple of the rank
 * @param rankPattern per-module ranks by regular expression (PEFT's {@code rank_pattern})
 * @param alphaPattern per-module alphas by regular expression (PEFT's {@code alpha_pattern})
 * @param rslora scale by alpha / sqrt(r) instead of alpha / r
 * @param modulesToSave modules trained in full and saved with the adapter; a classifier's new head is always added
 * @param dropout lora_dropout
 * @param init lora, gaussian, pissa or pissa-fast; null = the method's
 * @param niter subspace iterations of the randomized SVD (pissa-fast)
 * @param oversampling extra random columns of the randomized SVD (pissa-fast)
 */
public record AdapterSettings(String targets, String targetRegex, List<String> exclude, String excludeRegex,
        int rank, Double alpha, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern, boolean rslora,
        List<String> modulesToSave, double dropout, String init, int niter, int oversampling) {

    /** The value of {@code --targets} that adapts every Linear but the output heads. */
    public static final String ALL_LINEAR = ModuleSelector.ALL_LINEAR;

    /** Copies the collections; nulls (as in an older run.json) become empty. */
    public AdapterSettings {
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        rankPattern = rankPattern == null ? Map.of() : Map.copyOf(rankPattern);
        alphaPattern = alphaPattern == null ? Map.of() : Map.copyOf(alphaPattern);
        modulesToSave = modulesToSave == null ? List.of() : List.copyOf(modulesToSave);
        if (targets == null && targetRegex == null) {
            targets = ALL_LINEAR;
        }
    }

    /** The defaults: rank 8 on every Linear, the method's init. */
    public static AdapterSettings defaults() {
        return builder().build();
    }

    /** A new builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fills the defaults that depend on the task kind and the method, and validates every value.
     *
     * @throws IllegalArgumentException naming the setting at fault
     */
    public AdapterSettings resolve(TaskKind kind, Method method) {
        Recipes.require(targetRegex == null || targets == null, "give --targets or --target-regex, not both");
        Recipes.require(rank >= 1, "--rank must be >= 1, got " + rank);
        double a = alpha != null ? alpha : (double) kind.defaults().alphaPerRank() * rank;
        Recipes.require(a > 0 && Double.isFinite(a), "--alpha must be > 0, got " + a);
        Recipes.require(dropout >= 0 && dropout < 1, "--lora-dropout must be in [0, 1), got " + dropout);
        Recipes.require(niter >= 0, "--niter must be >= 0, got " + niter);
        Recipes.require(oversampling >= 0, "--oversampling must be >= 0, got " + oversampling);
        InitMethod i = init == null ? method.defaultInit() : InitMethod.parse(init);
        Recipes.require(i.writesResidual() == method.defaultInit().writesResidual(), "--init " + init
                + " does not fit --method " + method.id() + ": " + (i.writesResidual()
                        ? "a PiSSA init needs --method pissa, pissa-fast or balora"
                        : "PiSSA methods start from the singular vectors (pissa or pissa-fast)"));
        String t = targetRegex != null ? null : targets;
        AdapterSettings out = new AdapterSettings(t, targetRegex, exclude, excludeRegex, rank, a, rankPattern,
                alphaPattern, rslora, modulesToSave, dropout, i.name().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '-'), niter, oversampling);
        out.selector(); // a malformed regex or an empty name list fails here, before any work
        return out;
    }

    /**
     * These settings for one of several methods run side by side ({@code bench}, {@code compare}): an init of the
     * other family (a PiSSA SVD choice for LoRA, a random init for a PiSSA method) is left to the method's default.
     */
    public AdapterSettings forMethod(Method method) {
        if (init == null || InitMethod.parse(init).writesResidual() == method.defaultInit().writesResidual()) {
            return this;
        }
        return new AdapterSettings(targets, targetRegex, exclude, excludeRegex, rank, alpha, rankPattern,
                alphaPattern, rslora, modulesToSave, dropout, null, niter, oversampling);
    }

    /** The init these (resolved) settings name. */
    public InitMethod initMethod() {
        return InitMethod.parse(init);
    }

    /**
     * The core adapter configuration for a model.
     *
     * @param model the loaded model
     * @param taskType PEFT's task_type ({@code SEQ_CLS}, {@code CAUSAL_LM}, {@code FEATURE_EXTRACTION})
     * @param trainHeads whether the model's output heads (a classifier's new head) join {@code modules_to_save}
     * @param seed seeds random inits
     * @param modelName recorded as {@code base_model_name_or_path}
     */
    public AdapterConfig toConfig(PretrainedModel model, String taskType, boolean trainHeads, long seed,
            String modelName) {
        LinkedHashSet<String> saved = new LinkedHashSet<>(modulesToSave);
        if (trainHeads) {
            saved.addAll(model.outputHeadPaths());
        }
        AdapterConfig.Builder b = AdapterConfig.builder().setTargets(selector()).optRank(rank).optAlpha(alpha)
                .optDropout(dropout).optUseRslora(rslora).optRankPattern(rankPattern).optAlphaPattern(alphaPattern)
                .optModulesToSave(new ArrayList<>(saved)).optInit(initMethod()).optNiter(niter)
                .optOversampling(oversampling).optSeed(seed).optTaskType(taskType)
                .optBaseModelNameOrPath(modelName);
        ModuleSelector ex = excludeSelector();
        if (ex != null) {
            b.optExclude(ex);
        }
        return b.build();
    }

    private ModuleSelector selector() {
        if (targetRegex != null) {
            return ModuleSelector.regex(targetRegex);
        }
        if (ALL_LINEAR.equals(targets.trim())) {
            return ModuleSelector.allLinear();
        }
        List<String> names = Recipes.names(targets);
        Recipes.require(!names.isEmpty(), "--targets '" + targets + "' names no module");
        return ModuleSelector.names(names);
    }

    private ModuleSelector excludeSelector() {
        Recipes.require(exclude.isEmpty() || excludeRegex == null, "give --exclude or --exclude-regex, not both");
        if (excludeRegex != null) {
            return ModuleSelector.regex(excludeRegex);
        }
        return exclude.isEmpty() ? null : ModuleSelector.names(exclude);
    }

    /** Builder of {@link AdapterSettings}; every setting is optional. */
    public static final class Builder {
        private String targets; // null: all-linear, unless a regex is given (the record fills it in)
        private String targetRegex;
        private List<String> exclude = List.of();
        private String excludeRegex;
        private int rank = 8;
        private Double alpha;
        private Map<String, Integer> rankPattern = new LinkedHashMap<>();
        private Map<String, Double> alphaPattern = new LinkedHashMap<>();
        private boolean rslora;
        private List<String> modulesToSave = List.of();
        private double dropout;
        private String init;
        private int niter = 4;
        private int oversampling = 8;

        private Builder() {}

        /** {@code all-linear} (default) or comma-separated module names, e.g. {@code q_proj,v_proj}. */
        public Builder optTargets(String targets) {
            this.targets = targets;
            return this;
        }

        /** A full-match regular expression of module paths, instead of {@link #optTargets}. */
        public Builder optTargetRegex(String regex) {
            this.targetRegex = regex;
            return this;
        }

        /** Module names that never get an adapter. */
        public Builder optExclude(List<String> names) {
            this.exclude = names;
            return this;
        }

        /** A full-match regular expression of module paths that never get an adapter. */
        public Builder optExcludeRegex(String regex) {
            this.excludeRegex = regex;
            return this;
        }

        /** The rank r (default 8). */
        public Builder optRank(int rank) {
            this.rank = rank;
            return this;
        }

        /** lora_alpha (default: the task kind's multiple of r: 2r for classification, r for causal LM). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Per-module ranks by regular expression. */
        public Builder optRankPattern(Map<String, Integer> pattern) {
            this.rankPattern = pattern;
            return this;
        }

        /** Per-module alphas by regular expression. */
        public Builder optAlphaPattern(Map<String, Double> pattern) {
            this.alphaPattern = pattern;
            return this;
        }

        /** Scale by alpha / sqrt(r) (default false). */
        public Builder optRslora(boolean rslora) {
            this.rslora = rslora;
            return this;
        }

        /** Modules trained in full and saved with the adapter (a classifier's head is always one). */
        public Builder optModulesToSave(List<String> modules) {
            this.modulesToSave = modules;
            return this;
        }

        /** lora_dropout (default 0). */
        public Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** lora, gaussian, pissa or pissa-fast (default: the method's). */
        public Builder optInit(String init) {
            this.init = init;
            return this;
        }

        /** Subspace iterations of the randomized SVD of pissa-fast (default 4). */
        public Builder optNiter(int niter) {
            this.niter = niter;
            return this;
        }

        /** Extra random columns of the randomized SVD of pissa-fast (default 8). */
        public Builder optOversampling(int oversampling) {
            this.oversampling = oversampling;
            return this;
        }

        /** Builds (validation happens when the recipe resolves the settings against a task and method). */
        public AdapterSettings build() {
            return new AdapterSettings(targets, targetRegex, exclude, excludeRegex, rank, alpha, rankPattern,
                    alphaPattern, rslora, modulesToSave, dropout, init, niter, oversampling);
        }
    }
}
