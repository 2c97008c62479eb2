package dev.balora.adapter;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.nn.Linear;
import java.util.Random;

/** PEFT's {@code "gaussian"} init: A ~ Normal(0, std = 1/r), B = 0. Drawn in Java from a seed. */
public final class GaussianInit implements AdapterInit {
    private final long seed;

    /** Creates the strategy with a seed. */
    public GaussianInit(long seed) {
        this.seed = seed;
    }

    @Override
    public Factors create(String path, Linear linear, int rank, double scaling, NDManager manager) {
        int in = Math.toIntExact(linear.inFeatures());
        Random random = new Random(AdapterInit.layerSeed(seed, path));
        float[] a = new float[rank * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextGaussian() / rank);
        }
        return new Factors(EngineArrays.own(manager.create(a, new Shape(rank, in))),
                manager.zeros(new Shape(linear.outFeatures(), rank)));
    }

    @Override
    public boolean writesResidual() {
        return false;
    }
}
