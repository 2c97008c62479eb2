package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test model: two trainable Linears with tanh and (optional) dropout between, from a fixed seed. */
final class TinyClassifier implements Layer {
    static final int IN = 16;
    static final int HIDDEN = 8;
    static final int CLASSES = 3;

    final Linear hidden;
    final Linear out;
    final float dropout;

    TinyClassifier(NDManager manager, long seed, float dropout) {
        Random r = new Random(seed);
        hidden = new Linear("hidden", random(manager, r, HIDDEN, IN), random(manager, r, HIDDEN));
        out = new Linear("classifier", random(manager, r, CLASSES, HIDDEN), random(manager, r, CLASSES));
        for (Param p : List.of(hidden.weight(), hidden.bias(), out.weight(), out.bias())) {
            p.setTrainable(true);
        }
        this.dropout = dropout;
    }

    private static NDArray random(NDManager m, Random r, long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[(int) s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.5);
        }
        return m.create(v, s);
    }

    NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray h = hidden.forward(x, ctx).tanh();
        if (dropout > 0 && ctx.training()) {
            h = Dropout.dropout(h, dropout, true).singletonOrThrow();
        }
        return out.forward(h, ctx);
    }

    @Override
    public String path() {
        return "";
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(hidden, out);
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }
}
