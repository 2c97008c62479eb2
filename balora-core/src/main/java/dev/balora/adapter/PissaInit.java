package dev.balora.adapter;

import ai.djl.ndarray.NDManager;
import dev.balora.linalg.HostLinalg;
import dev.balora.linalg.Svd;
import dev.balora.nn.Linear;

/**
 * Exact PiSSA: a full SVD of W in float64 on the host (EJML); A and B take the top-r singular triplets. One layer
 * at a time: only that layer's host copy and decomposition are alive.
 */
public final class PissaInit implements AdapterInit {

    @Override
    public Factors create(String path, Linear linear, int rank, double scaling, NDManager manager) {
        Svd svd = HostLinalg.svd(HostLinalg.toHost(linear.weight().array()));
        if (svd.rank() < rank) {
            throw new IllegalArgumentException(path + ": rank " + rank + " exceeds min(in, out) = " + svd.rank());
        }
        return PissaFactors.build(svd.u(), svd.s(), svd.v(), rank, scaling, manager);
    }

    @Override
    public boolean writesResidual() {
        return true;
    }
}
