package dev.balora.generate;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** How to decode: greedy or sampled (temperature, top-k, top-p, seed), stop tokens, length limit, KV cache. */
public final class GenerationOptions {
    private final int maxNewTokens;
    private final double temperature;
    private final int topK;
    private final double topP;
    private final long seed;
    private final Set<Integer> stopTokens;
    private final boolean useCache;
    private final int padTokenId;

    private GenerationOptions(Builder b) {
        maxNewTokens = b.maxNewTokens;
        temperature = b.temperature;
        topK = b.topK;
        topP = b.topP;
        seed = b.seed;
        stopTokens = Set.copyOf(b.stopTokens);
        useCache = b.useCache;
        padTokenId = b.padTokenId;
    }

    /** A builder; {@link Builder#setMaxNewTokens} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Greedy decoding of at most {@code maxNewTokens} tokens with the KV cache. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return builder().setMaxNewTokens(maxNewTokens).build();
    }

    /** The most tokens generated per prompt. */
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** Softmax temperature; 0 means greedy (arg-max). */
    public double temperature() {
        return temperature;
    }

    /** Sample only among the k most likely tokens; 0 means no limit. */
    public int topK() {
        return topK;
    }

    /** Sample only from the smallest set of tokens whose probability reaches p; 1 means no limit. */
    public double topP() {
        return topP;
    }

    /** Seed of the sampler's random numbers. */
    public long seed() {
        return seed;
    }

    /** Tokens that end a sequence (they are emitted, then the sequence stops). */
    public Set<Integer> stopTokens() {
        return stopTokens;
    }

    /** Whether to decode over a KV cache (same tokens, less work). */
    public boolean useCache() {
        return useCache;
    }

    /** The id put into padding slots (masked out, so any valid id works). */
    public int padTokenId() {
        return padTokenId;
    }

    /** Whether decoding is greedy. */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** Builds {@link GenerationOptions}, validating every value. */
    public static final class Builder {
        private int maxNewTokens = -1;
        private double temperature;
        private int topK;
        private double topP = 1.0;
        private long seed;
        private final Set<Integer> stopTokens = new TreeSet<>();
        private boolean useCache = true;
        private int padTokenId;

        private Builder() {}

        /** Required: the most tokens generated per prompt (positive). */
        public Builder setMaxNewTokens(int maxNewTokens) {
            this.maxNewTokens = maxNewTokens;
            return this;
        }

        /** Softmax temperature (0, the default, decodes greedily). */
        public Builder optTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Top-k limit (0, the default, is none). */
        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /** Nucleus (top-p) limit in (0, 1] (1, the default, is none). */
        public Builder optTopP(double topP) {
            this.topP = topP;
            return this;
        }

        /** Sampler seed (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Adds stop tokens. */
        public Builder optStopTokens(Collection<Integer> tokens) {
            stopTokens.addAll(tokens);
            return this;
        }

        /** Adds stop tokens. */
        public Builder optStopTokens(int... tokens) {
            for (int t : tokens) {
                stopTokens.add(t);
            }
            return this;
        }

        /** Whether to use the KV cache (default true). */
        public Builder optUseCache(boolean useCache) {
            this.useCache = useCache;
            return this;
        }

        /** Padding id for batched prompts of different lengths (default 0). */
        public Builder optPadTokenId(int padTokenId) {
            this.padTokenId = padTokenId;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the offending option
         */
        public GenerationOptions build() {
            if (maxNewTokens <= 0) {
                throw new IllegalArgumentException("maxNewTokens must be set to a positive number, got "
                        + maxNewTokens);
            }
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
            }
            if (topK < 0) {
                throw new IllegalArgumentException("topK must be >= 0 (0 = no limit), got " + topK);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
            }
            if (padTokenId < 0) {
                throw new IllegalArgumentException("padTokenId must be >= 0, got " + padTokenId);
            }
            return new GenerationOptions(this);
        }
    }
}
