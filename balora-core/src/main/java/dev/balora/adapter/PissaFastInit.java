package dev.balora.adapter;

import ai.djl.ndarray.NDManager;
import dev.balora.linalg.HostLinalg;
import dev.balora.linalg.RandomizedSvd;
import dev.balora.nn.Linear;

/**
 * PiSSA with a randomized SVD (PEFT's {@code pissa_niter_N}): the products with W run on its device, the small
 * decompositions on the host. The model stays exact whatever the approximation quality, because the residual is
 * computed from the stored A and B.
 */
public final class PissaFastInit implements AdapterInit {
    private final int niter;
    private final int oversampling;
    private final long seed;

    /**
     * Creates the strategy.
     *
     * @param niter subspace iterations
     * @param oversampling extra random columns beyond r
     * @param seed seed of the Gaussian test matrix (mixed with the module path)
     */
    public PissaFastInit(int niter, int oversampling, long seed) {
        this.niter = niter;
        this.oversampling = oversampling;
        this.seed = seed;
    }

    @Override
    public Factors create(String path, Linear linear, int rank, double scaling, NDManager manager) {
        long min = Math.min(linear.inFeatures(), linear.outFeatures());
        if (rank > min) {
            throw new IllegalArgumentException(path + ": rank " + rank + " exceeds min(in, out) = " + min);
        }
        try (NDManager scope = manager.newSubManager()) {
            RandomizedSvd.Result r = new RandomizedSvd(rank, oversampling, niter, AdapterInit.layerSeed(seed, path))
                    .decompose(linear.weight().array(), scope);
            // U and V are only [dim, r]: bring them to the host to build A and B exactly like the exact variant.
            return PissaFactors.build(HostLinalg.toHost(r.u()), r.s(), HostLinalg.toHost(r.v()), rank, scaling,
                    manager);
        }
    }

    @Override
    public boolean writesResidual() {
        return true;
    }
}
