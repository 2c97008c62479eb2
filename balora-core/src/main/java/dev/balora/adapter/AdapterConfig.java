package dev.balora.adapter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable, validated adapter configuration mirroring PEFT's {@code LoraConfig}; build it with
 * {@link #builder()}.
 *
 * <p>Per-module rank and alpha follow PEFT: a {@code rank_pattern} / {@code alpha_pattern} key is a regular
 * expression that must match the end of the module path after a dot (or the whole path).
 */
public final class AdapterConfig {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterConfig.class);

    private final int rank;
    private final double alpha;
    private final double dropout;
    private final ModuleSelector targets;
    private final ModuleSelector exclude;
    private final List<String> modulesToSave;
    private final boolean useRslora;
    private final Map<String, Integer> rankPattern;
    private final Map<String, Double> alphaPattern;
    private final InitMethod init;
    private final int niter;
    private final int oversampling;
    private final long seed;
    private final String taskType;
    private final String baseModelNameOrPath;

    private AdapterConfig(Builder b) {
        rank = b.rank;
        alpha = b.alpha;
        dropout = b.dropout;
        targets = b.targets;
        exclude = b.exclude;
        modulesToSave = List.copyOf(b.modulesToSave);
        useRslora = b.useRslora;
        rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(b.rankPattern));
        alphaPattern = Collections.unmodifiableMap(new LinkedHashMap<>(b.alphaPattern));
        init = b.init;
        niter = b.niter;
        oversampling = b.oversampling;
        seed = b.seed;
        taskType = b.taskType;
        baseModelNameOrPath = b.baseModelNameOrPath;
    }

    /** A new builder with PEFT's defaults (r = 8, alpha = 8, dropout 0, LoRA init). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rank = rank;
        b.alpha = alpha;
        b.dropout = dropout;
        b.targets = targets;
        b.exclude = exclude;
        b.modulesToSave = modulesToSave;
        b.useRslora = useRslora;
        b.rankPattern = new LinkedHashMap<>(rankPattern);
        b.alphaPattern = new LinkedHashMap<>(alphaPattern);
        b.init = init;
        b.niter = niter;
        b.oversampling = oversampling;
        b.seed = seed;
        b.taskType = taskType;
        b.baseModelNameOrPath = baseModelNameOrPath;
        return b;
    }

    /** The default rank r. */
    public int rank() {
        return rank;
    }

    /** The default lora_alpha. */
    public double alpha() {
        return alpha;
    }

    /** Dropout on the adapter input during training. */
    public double dropout() {
        return dropout;
    }

    /** Which modules get an adapter. */
    public ModuleSelector targets() {
        return targets;
    }

    /** Which modules never get one, or null. */
    public ModuleSelector exclude() {
        return exclude;
    }

    /** Modules trained in full and saved with the adapter (heads such as {@code classifier}). */
    public List<String> modulesToSave() {
        return modulesToSave;
    }

    /** Whether the scaling is alpha / sqrt(r). */
    public boolean useRslora() {
        return useRslora;
    }

    /** Per-module ranks by PEFT pattern. */
    public Map<String, Integer> rankPattern() {
        return rankPattern;
    }

    /** Per-module alphas by PEFT pattern. */
    public Map<String, Double> alphaPattern() {
        return alphaPattern;
    }

    /** The init strategy. */
    public InitMethod init() {
        return init;
    }

    /** Subspace iterations of PiSSA-fast. */
    public int niter() {
        return niter;
    }

    /** Extra random columns of PiSSA-fast's range finder. */
    public int oversampling() {
        return oversampling;
    }

    /** Seed of every random init (per layer, mixed with the module path). */
    public long seed() {
        return seed;
    }

    /** PEFT task type ({@code SEQ_CLS}, {@code CAUSAL_LM}, {@code FEATURE_EXTRACTION}), or null. */
    public String taskType() {
        return taskType;
    }

    /** Where the base model came from, written to adapter_config.json; may be null. */
    public String baseModelNameOrPath() {
        return baseModelNameOrPath;
    }

    /** The rank of the module at {@code path}: its rank_pattern entry if one matches, else r. */
    public int rankFor(String path) {
        Integer r = patternValue(rankPattern, path);
        return r == null ? rank : r;
    }

    /** The alpha of the module at {@code path}: its alpha_pattern entry if one matches, else lora_alpha. */
    public double alphaFor(String path) {
        Double a = patternValue(alphaPattern, path);
        return a == null ? alpha : a;
    }

    /** The scaling s of the module at {@code path} (see {@link Scaling}). */
    public double scalingFor(String path) {
        return Scaling.of(alphaFor(path), rankFor(path), useRslora);
    }

    private static <T> T patternValue(Map<String, T> patterns, String path) {
        for (Map.Entry<String, T> e : patterns.entrySet()) {
            if (Pattern.compile("(.*\\.)?(" + e.getKey() + ")").matcher(path).matches()) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "AdapterConfig{r=" + rank + ", alpha=" + alpha + ", dropout=" + dropout + ", targets="
                + targets.peftValue() + ", exclude=" + (exclude == null ? null : exclude.peftValue())
                + ", modulesToSave=" + modulesToSave + ", rslora=" + useRslora + ", init=" + init
                + (init == InitMethod.PISSA_FAST ? "(niter=" + niter + ", oversampling=" + oversampling + ")" : "")
                + ", seed=" + seed + "}";
    }

    /** Builds an {@link AdapterConfig}; {@link #build()} validates. */
    public static final class Builder {
        private int rank = 8;
        private double alpha = 8;
        private double dropout = 0;
        private ModuleSelector targets;
        private ModuleSelector exclude;
        private List<String> modulesToSave = List.of();
        private boolean useRslora;
        private Map<String, Integer> rankPattern = new LinkedHashMap<>();
        private Map<String, Double> alphaPattern = new LinkedHashMap<>();
        private InitMethod init = InitMethod.LORA;
        private int niter = 4;
        private int oversampling = 8;
        private long seed;
        private String taskType;
        private String baseModelNameOrPath;

        private Builder() {}

        /** Sets which modules get an adapter (required). */
        public Builder setTargets(ModuleSelector targets) {
            this.targets = Objects.requireNonNull(targets, "targets");
            return this;
        }

        /** Targets a list of module names (PEFT suffix matching). */
        public Builder setTargets(String... names) {
            return setTargets(names.length == 1 && names[0].equals(ModuleSelector.ALL_LINEAR)
                    ? ModuleSelector.allLinear() : ModuleSelector.names(List.of(names)));
        }

        /** Sets the rank r (default 8). */
        public Builder optRank(int rank) {
            this.rank = rank;
            return this;
        }

        /** Sets lora_alpha (default 8). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Sets the adapter-input dropout probability (default 0). */
        public Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Sets modules that must never be adapted. */
        public Builder optExclude(ModuleSelector exclude) {
            this.exclude = exclude;
            return this;
        }

        /** Sets modules trained in full and saved with the adapter. */
        public Builder optModulesToSave(List<String> modules) {
            this.modulesToSave = List.copyOf(modules);
            return this;
        }

        /** Uses alpha / sqrt(r) as scaling. */
        public Builder optUseRslora(boolean useRslora) {
            this.useRslora = useRslora;
            return this;
        }

        /** Sets per-module ranks by PEFT pattern. */
        public Builder optRankPattern(Map<String, Integer> pattern) {
            this.rankPattern = new LinkedHashMap<>(pattern);
            return this;
        }

        /** Sets per-module alphas by PEFT pattern. */
        public Builder optAlphaPattern(Map<String, Double> pattern) {
            this.alphaPattern = new LinkedHashMap<>(pattern);
            return this;
        }

        /** Sets the init strategy (default {@link InitMethod#LORA}). */
        public Builder optInit(InitMethod init) {
            this.init = Objects.requireNonNull(init, "init");
            return this;
        }

        /** Sets PiSSA-fast's subspace iterations (default 4). */
        public Builder optNiter(int niter) {
            this.niter = niter;
            return this;
        }

        /** Sets PiSSA-fast's oversampling (default 8; PEFT uses 0). */
        public Builder optOversampling(int oversampling) {
            this.oversampling = oversampling;
            return this;
        }

        /** Sets the seed of random inits (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets PEFT's task type. */
        public Builder optTaskType(String taskType) {
            this.taskType = taskType;
            return this;
        }

        /** Sets the base model name or path recorded in adapter_config.json. */
        public Builder optBaseModelNameOrPath(String name) {
            this.baseModelNameOrPath = name;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the offending field
         */
        public AdapterConfig build() {
            if (targets == null) {
                throw new IllegalArgumentException("adapter config: target_modules is required (a list of names, a "
                        + "regex, or all-linear)");
            }
            if (rank < 1) {
                throw new IllegalArgumentException("adapter config: r must be >= 1, got " + rank);
            }
            if (!(alpha > 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("adapter config: lora_alpha must be a positive number, got " + alpha);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("adapter config: lora_dropout must be in [0, 1), got " + dropout);
            }
            if (niter < 0 || oversampling < 0) {
                throw new IllegalArgumentException("adapter config: niter and oversampling must be >= 0, got niter="
                        + niter + ", oversampling=" + oversampling);
            }
            rankPattern.forEach((k, v) -> {
                checkPattern("rank_pattern", k);
                if (v == null || v < 1) {
                    throw new IllegalArgumentException("adapter config: rank_pattern '" + k + "' must be >= 1, got " + v);
                }
            });
            alphaPattern.forEach((k, v) -> {
                checkPattern("alpha_pattern", k);
                if (v == null || !(v > 0) || v.isInfinite()) {
                    throw new IllegalArgumentException("adapter config: alpha_pattern '" + k + "' must be positive, got "
                            + v);
                }
            });
            for (String m : modulesToSave) {
                if (m == null || m.isBlank()) {
                    throw new IllegalArgumentException("adapter config: modules_to_save holds a blank name: "
                            + modulesToSave);
                }
            }
            if (init.writesResidual() && dropout > 0) {
                LOG.warn("lora_dropout = {} with {} init: PiSSA expects dropout 0 (the principal components are "
                        + "trained directly)", dropout, init);
            }
            return new AdapterConfig(this);
        }

        private static void checkPattern(String field, String key) {
            try {
                Pattern.compile(key);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("adapter config: " + field + " key '" + key + "' is not a valid "
                        + "regular expression", e);
            }
        }
    }
}
