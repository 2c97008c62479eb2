package dev.balora.adapter;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.nn.Linear;
import java.util.Random;

/**
 * PEFT's default LoRA init: A ~ kaiming_uniform(a = sqrt(5)), i.e. U(-1/sqrt(in), 1/sqrt(in)), and B = 0, so the
 * adapter starts as a no-op. Drawn in Java from a seed, so runs are reproducible.
 */
public final class KaimingUniformInit implements AdapterInit {
    private final long seed;

    /** Creates the strategy with a seed. */
    public KaimingUniformInit(long seed) {
        this.seed = seed;
    }

    @Override
    public Factors create(String path, Linear linear, int rank, double scaling, NDManager manager) {
        int in = Math.toIntExact(linear.inFeatures());
        // gain = sqrt(2 / (1 + a^2)) with a = sqrt(5); bound = gain * sqrt(3 / fan_in) = 1 / sqrt(fan_in).
        double bound = 1.0 / Math.sqrt(in);
        Random random = new Random(AdapterInit.layerSeed(seed, path));
        float[] a = new float[rank * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return new Factors(EngineArrays.own(manager.create(a, new Shape(rank, in))),
                manager.zeros(new Shape(linear.outFeatures(), rank)));
    }

    @Override
    public boolean writesResidual() {
        return false;
    }
}
