package dev.balora.model.bert;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.nn.Linear;
import java.util.Random;

/**
 * Initialises a Linear a checkpoint lacks (a new classifier, a missing pooler) the way Hugging Face does, normal
 * weights with standard deviation 0.02 and zero bias, but from a seed so that runs are reproducible.
 */
final class SeededInit {
    static final double STD = 0.02;

    private SeededInit() {}

    /**
     * A new Linear.
     *
     * @param seed the seed; the same seed and path always give the same weights
     */
    static Linear linear(String path, long out, long in, long seed, NDManager manager) {
        // Mixing the path into the seed keeps two heads initialised from one seed different.
        Random random = new Random(seed * 31 + path.hashCode());
        float[] w = new float[Math.toIntExact(out * in)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * STD);
        }
        NDArray weight = EngineArrays.own(manager.create(w, new Shape(out, in)));
        NDArray bias = manager.zeros(new Shape(out));
        return new Linear(path, weight, bias);
    }
}
