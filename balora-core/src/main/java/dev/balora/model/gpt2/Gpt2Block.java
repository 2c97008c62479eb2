package dev.balora.model.gpt2;

import ai.djl.ndarray.NDArray;
import dev.balora.nn.Activation;
import dev.balora.nn.Dropouts;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;
import dev.balora.nn.Layer;
import dev.balora.nn.LayerGroup;
import dev.balora.nn.LayerNorm;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.List;
import java.util.Map;

/** One pre-LayerNorm GPT-2 block: {@code x + attn(ln_1(x))}, then {@code x + c_proj(act(c_fc(ln_2(x))))}. */
public final class Gpt2Block implements Layer {
    private final String path;
    private final int index;
    private final LayerNorm ln1;
    private final Gpt2Attention attn;
    private final LayerNorm ln2;
    private final Linear cFc; // [inner, hidden]
    private final Linear mlpProj; // [hidden, inner]
    private final Activation activation;
    private final float residDropout;
    private final LayerGroup mlp;

    /**
     * Assembles the block.
     *
     * @param path {@code transformer.h.N}
     * @param index N, the block's slot in the KV cache
     * @param ln1 {@code ln_1}
     * @param attn {@code attn}
     * @param ln2 {@code ln_2}
     * @param cFc {@code mlp.c_fc}
     * @param mlpProj {@code mlp.c_proj}
     * @param activation the feed-forward activation
     * @param residDropout dropout on the feed-forward output (training only)
     */
    public Gpt2Block(String path, int index, LayerNorm ln1, Gpt2Attention attn, LayerNorm ln2, Linear cFc,
            Linear mlpProj, Activation activation, float residDropout) {
        this.path = path;
        this.index = index;
        this.ln1 = ln1;
        this.attn = attn;
        this.ln2 = ln2;
        this.cFc = cFc;
        this.mlpProj = mlpProj;
        this.activation = activation;
        this.residDropout = residDropout;
        this.mlp = new LayerGroup(path + ".mlp", List.of(cFc, mlpProj));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(ln1, attn, ln2, mlp);
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /** Applies the block to [batch, tokens, hidden]. */
    public NDArray forward(NDArray x, NDArray mask, KvCache cache, ForwardContext context) {
        NDArray h = x.add(attn.forward(ln1.forward(x), mask, cache, index, context));
        NDArray f = activation.apply(cFc.forward(ln2.forward(h), context));
        return h.add(Dropouts.apply(mlpProj.forward(f, context), residDropout, context));
    }
}
