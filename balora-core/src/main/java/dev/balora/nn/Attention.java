package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Scalars;
import java.util.List;
import java.util.Map;

/**
 * Multi-head self-attention with grouped-query support ({@code kvHeads} divides {@code heads}), rotary positions,
 * an additive mask and an optional KV cache; the Llama-family layout with separate q/k/v/o projections.
 */
public final class Attention implements Layer {
    private final String path;
    private final Linear q; // [heads * headDim, hidden]
    private final Linear k; // [kvHeads * headDim, hidden]
    private final Linear v; // [kvHeads * headDim, hidden]
    private final Linear o; // [hidden, heads * headDim]
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    /**
     * Creates the block from its four projections.
     *
     * @param path the module path ({@code model.layers.N.self_attn})
     * @param q query projection
     * @param k key projection
     * @param v value projection
     * @param o output projection
     * @param heads query heads
     * @param kvHeads key/value heads (a divisor of {@code heads})
     * @param headDim dimensions per head
     */
    public Attention(String path, Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads, int headDim) {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(path + ": " + heads + " heads are not a multiple of " + kvHeads
                    + " key/value heads");
        }
        this.path = path;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(q, k, v, o);
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /**
     * Attends.
     *
     * @param x hidden states, [batch, tokens, hidden]
     * @param cos rotary cosines, [batch, 1, tokens, headDim]
     * @param sin rotary sines, same shape
     * @param mask additive mask, [batch, 1, tokens, slots]
     * @param cache the KV cache, or null
     * @param layer this layer's index in the cache
     * @param context forward mode
     * @return [batch, tokens, hidden]
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache, int layer,
            ForwardContext context) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray qh = RotaryEmbedding.apply(heads(q.forward(x, context), b, t, heads), cos, sin);
        NDArray kh = RotaryEmbedding.apply(heads(k.forward(x, context), b, t, kvHeads), cos, sin);
        NDArray vh = heads(v.forward(x, context), b, t, kvHeads);
        NDArray out;
        if (cache != null) {
            NDList kv = cache.append(layer, kh, vh);
            out = attend(qh, kv.get(0), kv.get(1), mask, scale, true);
        } else {
            out = attend(qh, kh, vh, mask, scale, false);
        }
        return o.forward(out.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim), context);
    }

    private NDArray heads(NDArray y, long b, long t, int n) {
        return y.reshape(b, t, n, headDim).transpose(0, 2, 1, 3);
    }

    /**
     * Scaled dot-product attention, repeating key/value heads for grouped-query attention.
     *
     * @param q [batch, heads, tokens, headDim]
     * @param k [batch, kvHeads, slots, headDim]
     * @param v [batch, kvHeads, slots, headDim]
     * @param mask additive, [batch, 1, tokens, slots]
     * @param scale multiplies the scores (usually {@code 1/sqrt(headDim)})
     * @param cached whether k and v belong to a KV cache: temporaries derived from them are then closed at once,
     *     since they would otherwise live (and pin old cache storage) as long as the cache
     * @return [batch, heads, tokens, headDim], owned by q's manager
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, float scale, boolean cached) {
        return attend(q, k, v, mask, scale, cached, 0f, ForwardContext.INFERENCE);
    }

    /**
     * Scaled dot-product attention with dropout on the attention probabilities in training passes.
     *
     * @param dropout probability of dropping an attention weight (training only)
     * @param context the forward mode
     * @see #attend(NDArray, NDArray, NDArray, NDArray, float, boolean)
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, float scale, boolean cached,
            float dropout, ForwardContext context) {
        long rep = q.getShape().get(1) / k.getShape().get(1);
        NDArray kr = repeatHeads(k, rep, cached);
        NDArray kt = kr.transpose(0, 1, 3, 2);
        NDArray scores = Scalars.mul(q.matMul(kt), scale).add(mask);
        if (cached) {
            kt.close();
            if (kr != k) {
                kr.close();
            }
        }
        NDArray probs = Dropouts.apply(scores.softmax(-1), dropout, context);
        NDArray vr = repeatHeads(v, rep, cached);
        NDArray out = probs.matMul(vr);
        if (cached && vr != v) {
            vr.close();
        }
        return out;
    }

    private static NDArray repeatHeads(NDArray x, long rep, boolean cached) {
        if (rep == 1) {
            return x;
        }
        Shape s = x.getShape();
        // Query head h reads key/value head h / rep, as torch.repeat_interleave along the head axis does.
        NDArray expanded = x.expandDims(2);
        NDArray broad = expanded.broadcast(new Shape(s.get(0), s.get(1), rep, s.get(2), s.get(3)));
        NDArray out = broad.reshape(s.get(0), s.get(1) * rep, s.get(2), s.get(3));
        if (cached) {
            expanded.close();
            broad.close();
        }
        return out;
    }
}
