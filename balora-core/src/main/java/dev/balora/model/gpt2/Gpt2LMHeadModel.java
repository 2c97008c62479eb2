package dev.balora.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.CausalLanguageModel;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;
import dev.balora.nn.Layer;
import dev.balora.nn.Linear;
import java.util.List;
import java.util.Set;

/** Hugging Face's {@code GPT2LMHeadModel}: the trunk plus an {@code lm_head} tied to {@code transformer.wte}. */
public final class Gpt2LMHeadModel implements CausalLanguageModel {
    private final Gpt2Model transformer;
    private final Linear lmHead; // [vocab, hidden], wte's array
    private final NDManager manager;

    private Gpt2LMHeadModel(Gpt2Model transformer, NDManager manager) {
        this.transformer = transformer;
        this.manager = manager;
        this.lmHead = new Linear("lm_head", transformer.wte().weight().array(), null);
    }

    /** Loads the model; the manager becomes the model's. */
    public static Gpt2LMHeadModel load(Gpt2Config config, TensorSource weights, NDManager manager) {
        return new Gpt2LMHeadModel(Gpt2Model.load(config, weights, manager), manager);
    }

    /** The trunk. */
    public Gpt2Model transformer() {
        return transformer;
    }

    @Override
    public String modelType() {
        return "gpt2";
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
        return List.of(transformer, lmHead);
    }

    @Override
    public int vocabSize() {
        return transformer.config().vocabSize();
    }

    @Override
    public int numLayers() {
        return transformer.config().numLayers();
    }

    @Override
    public int maxPositions() {
        return transformer.config().maxPositions();
    }

    @Override
    public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache, ForwardContext context) {
        return lmHead.forward(transformer.forward(inputIds, attentionMask, cache, context), context);
    }

    @Override
    public boolean splitsHead() {
        return true;
    }

    @Override
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, ForwardContext context) {
        return transformer.forward(inputIds, attentionMask, null, context);
    }

    @Override
    public NDArray headLogits(NDArray hidden, ForwardContext context) {
        return lmHead.forward(hidden, context);
    }
}
