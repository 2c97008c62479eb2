package dev.balora.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.CausalLanguageModel;
import dev.balora.nn.CausalMask;
import dev.balora.nn.Embedding;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;
import dev.balora.nn.Layer;
import dev.balora.nn.LayerGroup;
import dev.balora.nn.Linear;
import dev.balora.nn.RmsNorm;
import dev.balora.nn.RotaryEmbedding;
import dev.balora.objective.Scalars;
import java.util.List;
import java.util.Set;

/**
 * Hugging Face's {@code LlamaForCausalLM} and its Mistral, Qwen2 and Gemma variants, with the module paths and
 * tensor names of the Hugging Face checkpoint ({@code model.layers.N.self_attn.q_proj}, ..., {@code lm_head}).
 */
public final class LlamaForCausalLM implements CausalLanguageModel {
    private final LlamaConfig config;
    private final NDManager manager;
    private final Embedding embedTokens; // [vocab, hidden]
    private final List<LlamaDecoderLayer> layers;
    private final RmsNorm norm; // [hidden]
    private final Linear lmHead; // [vocab, hidden], the embedding's array when tied
    private final RotaryEmbedding rope;
    private final LayerGroup trunk;

    private LlamaForCausalLM(LlamaConfig config, NDManager manager, Embedding embedTokens,
            List<LlamaDecoderLayer> layers, RmsNorm norm, Linear lmHead) {
        this.config = config;
        this.manager = manager;
        this.embedTokens = embedTokens;
        this.layers = List.copyOf(layers);
        this.norm = norm;
        this.lmHead = lmHead;
        this.rope = new RotaryEmbedding(config.headDim(), config.ropeTheta(), config.ropeScaling());
        this.trunk = new LayerGroup("model", List.of(embedTokens, new LayerGroup("model.layers", layers), norm));
    }

    /**
     * Loads the model from checkpoint tensors.
     *
     * @param config the validated configuration
     * @param weights tensors with Hugging Face names
     * @param manager owner of the weights; the model takes it over
     * @return the model
     * @throws dev.balora.checkpoint.CheckpointException listing missing tensors, or naming a tensor of wrong shape
     */
    public static LlamaForCausalLM load(LlamaConfig config, TensorSource weights, NDManager manager) {
        weights.requireAll(LlamaWeights.requiredNames(config));
        return new LlamaWeights(config, weights, manager).build(
                (embed, layers, norm, head) -> new LlamaForCausalLM(config, manager, embed, layers, norm, head));
    }

    /** The configuration. */
    public LlamaConfig config() {
        return config;
    }

    @Override
    public String modelType() {
        return config.variant().modelType();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Set<String> outputHeadPaths() {
        return Set.of("lm_head");
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(trunk, lmHead);
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int numLayers() {
        return config.numLayers();
    }

    @Override
    public int maxPositions() {
        return config.maxPositions();
    }

    /** The decoder layers, in order. */
    public List<LlamaDecoderLayer> layers() {
        return layers;
    }

    @Override
    public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache, ForwardContext context) {
        return lmHead.forward(trunk(inputIds, attentionMask, cache, context), context);
    }

    @Override
    public boolean splitsHead() {
        return true;
    }

    @Override
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, ForwardContext context) {
        return trunk(inputIds, attentionMask, null, context);
    }

    @Override
    public NDArray headLogits(NDArray hidden, ForwardContext context) {
        return lmHead.forward(hidden, context);
    }

    /** Embeddings, decoder layers and the final norm: [batch, tokens, hidden]. */
    private NDArray trunk(NDArray inputIds, NDArray attentionMask, KvCache cache, ForwardContext context) {
        Shape s = inputIds.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("input ids must be [batch, tokens], got " + s);
        }
        int batch = (int) s.get(0);
        int tokens = (int) s.get(1);
        int past = cache == null ? 0 : cache.length();
        if (config.slidingWindow() > 0 && past + tokens > config.slidingWindow()) {
            throw new IllegalArgumentException("sequence of " + (past + tokens) + " slots exceeds sliding_window "
                    + config.slidingWindow() + ", which balora does not implement");
        }
        NDManager m = inputIds.getManager();
        CausalMask mask = CausalMask.of(attentionMask, batch, past, tokens);
        NDList cosSin = rope.cosSin(m, mask.positions());
        NDArray additive = mask.additive(m, true);
        NDArray x = embedTokens.forward(inputIds);
        if (config.gemmaStyle()) {
            x = Scalars.mul(x, (float) Math.sqrt(config.hiddenSize()));
        }
        for (LlamaDecoderLayer layer : layers) {
            x = layer.forward(x, cosSin.get(0), cosSin.get(1), additive, cache, context);
        }
        return norm.forward(x);
    }

    /** What {@link LlamaWeights} hands over once every tensor is loaded. */
    interface Assembler {
        LlamaForCausalLM assemble(Embedding embed, List<LlamaDecoderLayer> layers, RmsNorm norm, Linear head);
    }
}
