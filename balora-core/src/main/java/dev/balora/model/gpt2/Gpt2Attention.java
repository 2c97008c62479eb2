package dev.balora.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.balora.nn.Attention;
import dev.balora.nn.Dropouts;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;
import dev.balora.nn.Layer;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.List;
import java.util.Map;

/** GPT-2 self-attention: one fused {@code c_attn} projection to q, k and v, and {@code c_proj} back. */
public final class Gpt2Attention implements Layer {
    private final String path;
    private final Linear cAttn; // [3 hidden, hidden] (Conv1D [hidden, 3 hidden] transposed at load)
    private final Linear cProj; // [hidden, hidden]
    private final int heads;
    private final int headDim;
    private final float attnDropout;
    private final float residDropout;

    /**
     * Creates the block.
     *
     * @param path {@code transformer.h.N.attn}
     * @param cAttn fused q/k/v projection
     * @param cProj output projection
     * @param heads attention heads
     * @param attnDropout dropout on attention probabilities (training only)
     * @param residDropout dropout on the output (training only)
     */
    public Gpt2Attention(String path, Linear cAttn, Linear cProj, int heads, float attnDropout, float residDropout) {
        this.path = path;
        this.cAttn = cAttn;
        this.cProj = cProj;
        this.heads = heads;
        this.headDim = (int) (cProj.outFeatures() / heads);
        this.attnDropout = attnDropout;
        this.residDropout = residDropout;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(cAttn, cProj);
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /** Attends over [batch, tokens, hidden] with an additive mask [batch, 1, tokens, slots]. */
    public NDArray forward(NDArray x, NDArray mask, KvCache cache, int layer, ForwardContext context) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDList qkv = cAttn.forward(x, context).split(3, 2);
        NDArray q = heads(qkv.get(0), b, t);
        NDArray k = heads(qkv.get(1), b, t);
        NDArray v = heads(qkv.get(2), b, t);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        NDArray out;
        if (cache != null) {
            NDList kv = cache.append(layer, k, v);
            out = Attention.attend(q, kv.get(0), kv.get(1), mask, scale, true, attnDropout, context);
        } else {
            out = Attention.attend(q, k, v, mask, scale, false, attnDropout, context);
        }
        NDArray y = cProj.forward(out.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim), context);
        return Dropouts.apply(y, residDropout, context);
    }

    private NDArray heads(NDArray y, long b, long t) {
        return y.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
    }
}
