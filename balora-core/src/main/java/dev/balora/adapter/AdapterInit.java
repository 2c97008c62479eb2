package dev.balora.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.nn.Linear;

/** A strategy that creates one Linear's initial adapter factors A [r, in] and B [out, r]. */
public interface AdapterInit {

    /**
     * Creates the initial factors of one layer. Must not modify the layer: the residual, when the strategy
     * wants one, is written by the caller from the returned factors.
     *
     * @param path the module path (mixed into random seeds so layers differ)
     * @param linear the layer, weight [out, in]
     * @param rank r
     * @param scaling s
     * @param manager owner of the returned arrays
     * @return A and B
     */
    Factors create(String path, Linear linear, int rank, double scaling, NDManager manager);

    /** Whether W must be replaced by {@code W - s B A} so that the adapted model starts equal to the base. */
    boolean writesResidual();

    /**
     * Initial factors of one layer.
     *
     * @param a [r, in]
     * @param b [out, r]
     */
    record Factors(NDArray a, NDArray b) {}

    /** The strategy a configuration names. */
    static AdapterInit of(AdapterConfig config) {
        return switch (config.init()) {
            case LORA -> new KaimingUniformInit(config.seed());
            case GAUSSIAN -> new GaussianInit(config.seed());
            case PISSA -> new PissaInit();
            case PISSA_FAST -> new PissaFastInit(config.niter(), config.oversampling(), config.seed());
        };
    }

    /** A per-layer seed: the configured seed mixed with the module path, so layers draw different numbers. */
    static long layerSeed(long seed, String path) {
        long h = seed * 0x9E3779B97F4A7C15L + path.hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
