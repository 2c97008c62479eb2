package dev.balora.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;

/** Test helper: runs a causal LM on a golden case and measures the largest logit error at real positions. */
public final class GoldenComparison {

    private GoldenComparison() {}

    /** Max |logit - golden| over the positions the mask marks real, from one cache-free forward pass. */
    public static double maxDiff(CausalLanguageModel model, TinyCheckpoints.Case c) {
        try (NDManager m = model.manager().newSubManager()) {
            int b = c.inputIds().length;
            int t = c.inputIds()[0].length;
            NDArray ids = m.create(TinyCheckpoints.flat(c.inputIds()), new Shape(b, t));
            NDArray mask = m.create(TinyCheckpoints.flat(c.mask()), new Shape(b, t));
            return compare(model.logits(ids, mask, ForwardContext.INFERENCE).toFloatArray(), c, 0, t);
        }
    }

    /** The same, but feeding the case through a KV cache: the first {@code chunk} tokens, then one at a time. */
    public static double maxDiffCached(CausalLanguageModel model, TinyCheckpoints.Case c, int chunk) {
        try (NDManager m = model.manager().newSubManager(); KvCache cache = model.newCache(m)) {
            int b = c.inputIds().length;
            int t = c.inputIds()[0].length;
            long[] ids = TinyCheckpoints.flat(c.inputIds());
            long[] mask = TinyCheckpoints.flat(c.mask());
            double worst = 0;
            int pos = 0;
            while (pos < t) {
                int n = pos == 0 ? chunk : 1;
                try (NDManager s = m.newSubManager()) {
                    NDArray in = s.create(columns(ids, b, t, pos, pos + n), new Shape(b, n));
                    NDArray mk = s.create(columns(mask, b, t, 0, pos + n), new Shape(b, pos + n));
                    float[] out = model.forward(in, mk, cache, ForwardContext.INFERENCE).toFloatArray();
                    worst = Math.max(worst, compare(out, c, pos, n));
                }
                pos += n;
            }
            return worst;
        }
    }

    private static long[] columns(long[] x, int b, int t, int from, int to) {
        long[] out = new long[b * (to - from)];
        for (int i = 0; i < b; i++) {
            System.arraycopy(x, i * t + from, out, i * (to - from), to - from);
        }
        return out;
    }

    /** Compares logits [batch, n, vocab] for golden positions [from, from + n), real positions only. */
    private static double compare(float[] out, TinyCheckpoints.Case c, int from, int n) {
        double worst = 0;
        int v = c.logits()[0][0].length;
        for (int i = 0; i < c.inputIds().length; i++) {
            for (int j = 0; j < n; j++) {
                if (c.mask()[i][from + j] == 0) {
                    continue;
                }
                for (int k = 0; k < v; k++) {
                    double d = Math.abs(out[(i * n + j) * v + k] - c.logits()[i][from + j][k]);
                    if (!(d <= worst)) {
                        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                    }
                }
            }
        }
        return worst;
    }
}
