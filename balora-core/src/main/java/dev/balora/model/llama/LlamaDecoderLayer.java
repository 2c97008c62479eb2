package dev.balora.model.llama;

import ai.djl.ndarray.NDArray;
import dev.balora.nn.Attention;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.GatedMlp;
import dev.balora.nn.KvCache;
import dev.balora.nn.Layer;
import dev.balora.nn.Param;
import dev.balora.nn.RmsNorm;
import java.util.List;
import java.util.Map;

/** One pre-norm decoder layer: {@code x + attn(norm(x))}, then {@code x + mlp(norm(x))}. */
public final class LlamaDecoderLayer implements Layer {
    private final String path;
    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final GatedMlp mlp;

    /**
     * Assembles the layer.
     *
     * @param path {@code model.layers.N}
     * @param index N, the layer's slot in the KV cache
     * @param inputNorm {@code input_layernorm}
     * @param attention {@code self_attn}
     * @param postAttentionNorm {@code post_attention_layernorm}
     * @param mlp {@code mlp}
     */
    public LlamaDecoderLayer(String path, int index, RmsNorm inputNorm, Attention attention,
            RmsNorm postAttentionNorm, GatedMlp mlp) {
        this.path = path;
        this.index = index;
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(attention, mlp, inputNorm, postAttentionNorm);
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /** Applies the layer to [batch, tokens, hidden]. */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache,
            ForwardContext context) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), cos, sin, mask, cache, index, context));
        return h.add(mlp.forward(postAttentionNorm.forward(h), context));
    }
}
