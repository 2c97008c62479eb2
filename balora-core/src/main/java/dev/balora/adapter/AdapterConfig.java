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
 *
 * <p>{@code layers_to_transform} / {@code layers_pattern} follow PEFT too (see {@link #inTransformedLayer}): they
 * restrict a list of target names to the layers with the given indices.
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
    private final List<Integer> layersToTransform;
    private final List<String> layersPattern;
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
        layersToTransform = List.copyOf(b.layersToTransform);
        layersPattern = List.copyOf(b.layersPattern);
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
        b.layersToTransform = layersToTransform;
        b.layersPattern = layersPattern;
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

    /** PEFT's {@code layers_to_transform}: the layer indices whose targets get an adapter; empty for every layer. */
    public List<Integer> layersToTransform() {
        return layersToTransform;
    }

    /**
     * PEFT's {@code layers_pattern}: the names of the path segment that precedes the layer index (such as
     * {@code layers} or {@code h}); empty for any segment.
     */
    public List<String> layersPattern() {
        return layersPattern;
    }

    /**
     * Whether {@code layers_to_transform} lets the module at {@code path} be adapted, by PEFT's rule
     * ({@code check_target_module_exists}): without {@code layers_to_transform}, or when the path equals one of the
     * target names, every module is allowed; otherwise the module's layer index is the number after the first
     * {@code .<segment>.} followed by {@code <digits>.} in the path, where the segment is any name, or one of
     * {@code layers_pattern} when it is set (a regular expression, as in PEFT), and the module is allowed when that
     * index is listed. A path without such an index is not allowed.
     *
     * <p>PEFT up to 0.19 took the last such index in the path, 0.20 the first; the two agree for every architecture
     * balora supports (one layer index per path). PEFT before 0.9 looked only for the segments {@code layers},
     * {@code h}, {@code block}, {@code blocks} and {@code layer} when {@code layers_pattern} was unset, which are the
     * segments of balora's architectures.
     *
     * @param path a module path
     * @return whether the layer restriction admits it
     */
    public boolean inTransformedLayer(String path) {
        if (layersToTransform.isEmpty()
                || (targets instanceof ModuleSelector.Names names && names.names().contains(path))) {
            return true;
        }
        Integer index = layerIndex(path);
        return index != null && layersToTransform.contains(index);
    }

    /**
     * The layer index PEFT reads from {@code path} for {@code layers_to_transform} (see {@link #inTransformedLayer}),
     * or null when the path has none.
     */
    public Integer layerIndex(String path) {
        List<String> segments = layersPattern.isEmpty() ? List.of("[^.]*") : layersPattern;
        for (String segment : segments) {
            java.util.regex.Matcher m = Pattern.compile(".*?\\." + segment + "\\.(\\d+)\\.").matcher(path);
            if (m.lookingAt()) {
                return Integer.valueOf(m.group(1));
            }
        }
        return null;
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
                + ", modulesToSave=" + modulesToSave + ", rslora=" + useRslora
                + (layersToTransform.isEmpty() ? "" : ", layersToTransform=" + layersToTransform)
                + (layersPattern.isEmpty() ? "" : ", layersPattern=" + layersPattern) + ", init=" + init
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
        private List<Integer> layersToTransform = List.of();
        private List<String> layersPattern = List.of();
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

        /**
         * Restricts a list of target names to the layers with these indices (PEFT's {@code layers_to_transform};
         * empty, the default, for every layer). Needs PEFT 0.4.0 or later to load.
         */
        public Builder optLayersToTransform(List<Integer> layers) {
            this.layersToTransform = List.copyOf(layers);
            return this;
        }

        /**
         * Names the path segment before the layer index (PEFT's {@code layers_pattern}, e.g. {@code layers};
         * empty, the default, for any segment); only with {@link #optLayersToTransform}. One name needs PEFT 0.4.0,
         * several 0.6.0.
         */
        public Builder optLayersPattern(List<String> patterns) {
            this.layersPattern = List.copyOf(patterns);
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
            checkLayers();
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

        private void checkLayers() {
            for (Integer i : layersToTransform) {
                if (i < 0) {
                    throw new IllegalArgumentException("adapter config: layers_to_transform holds " + i
                            + "; layer indices are >= 0");
                }
            }
            for (String p : layersPattern) {
                if (p.isBlank()) {
                    throw new IllegalArgumentException("adapter config: layers_pattern holds a blank name: "
                            + layersPattern);
                }
                checkPattern("layers_pattern", p);
            }
            if (!layersPattern.isEmpty() && layersToTransform.isEmpty()) {
                throw new IllegalArgumentException("adapter config: layers_pattern " + layersPattern
                        + " needs layers_to_transform (as in PEFT)");
            }
            if (!layersToTransform.isEmpty() && !(targets instanceof ModuleSelector.Names)) {
                throw new IllegalArgumentException("adapter config: layers_to_transform needs target_modules as a "
                        + "list of names; it cannot be used with the string '" + targets.peftValue()
                        + "' (as in PEFT)");
            }
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
