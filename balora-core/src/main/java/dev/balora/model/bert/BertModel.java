package dev.balora.model.bert;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.LayerGroup;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT/RoBERTa encoder in the Hugging Face layout ({@code BertModel}/{@code RobertaModel}): embeddings,
 * post-LayerNorm layers and an optional pooler; every Linear is an adapter-aware {@link Linear} at its Hugging
 * Face module path.
 */
public final class BertModel implements PretrainedModel {
    private static final Logger LOG = LoggerFactory.getLogger(BertModel.class);

    private final String path;
    private final BertConfig config;
    private final NDManager manager;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers;
    private final LayerGroup encoder;
    private final Linear pooler; // [hidden, hidden] or null
    private final boolean poolerInitialised;

    private BertModel(String path, String source, BertConfig config, TensorSource weights, NDManager manager,
            boolean withPooler, Long poolerSeed) {
        this.path = path;
        this.config = config;
        this.manager = manager;
        embeddings = new BertEmbeddings(Layers.key(path, "embeddings"), source + "embeddings", config, weights,
                manager);
        layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new BertLayer(Layers.key(path, "encoder.layer." + i), source + "encoder.layer." + i, config,
                    weights, manager));
        }
        encoder = new LayerGroup(Layers.key(path, "encoder"), layers);
        String poolerPath = Layers.key(path, "pooler.dense");
        if (!withPooler) {
            pooler = null;
            poolerInitialised = false;
        } else if (checkpointHasPooler(source, weights)) {
            pooler = BertLayer.linear(Layers.key(path, "pooler"), source + "pooler", "dense", config.hiddenSize(),
                    config.hiddenSize(), weights, manager);
            poolerInitialised = false;
        } else if (poolerSeed != null) {
            LOG.info("{} has no pooler; initialising {} from seed {}", weights.location(), poolerPath, poolerSeed);
            pooler = SeededInit.linear(poolerPath, config.hiddenSize(), config.hiddenSize(), poolerSeed, manager);
            poolerInitialised = true;
        } else {
            pooler = null;
            poolerInitialised = false;
        }
    }

    /**
     * Loads an encoder as the root of its own tree (module paths {@code embeddings...}, {@code encoder.layer.N...}).
     *
     * @param config the configuration
     * @param weights the checkpoint; names may carry a {@code bert.}/{@code roberta.} prefix
     * @param manager the owner of the weights (the model takes it over)
     * @throws CheckpointException listing every missing tensor, or naming a tensor whose shape is wrong
     */
    public static BertModel load(BertConfig config, TensorSource weights, NDManager manager) {
        String source = sourcePrefix(config, weights);
        List<String> needed = requiredTensorNames(config, source);
        weights.requireAll(needed);
        BertModel model = new BertModel("", source, config, weights, manager, true, null);
        List<String> used = new ArrayList<>(needed);
        used.add(source + "pooler.dense.weight");
        used.add(source + "pooler.dense.bias");
        logExtras(weights, used);
        return model;
    }

    /**
     * Loads an encoder placed at {@code path} inside a larger model (e.g. {@code bert} of a classifier).
     *
     * @param withPooler false to leave out the pooler even when the checkpoint has one (a head that does not read it
     *     must not carry untrainable adapters)
     * @param poolerSeed initialises a pooler the checkpoint lacks; null for none
     */
    static BertModel loadAt(String path, String source, BertConfig config, TensorSource weights, NDManager manager,
            boolean withPooler, Long poolerSeed) {
        return new BertModel(path, source, config, weights, manager, withPooler, poolerSeed);
    }

    /** Whether a checkpoint holds the pooler's tensors under {@code source}. */
    static boolean checkpointHasPooler(String source, TensorSource weights) {
        return weights.contains(source + "pooler.dense.weight") || weights.contains(source + "pooler.dense.bias");
    }

    /**
     * The prefix of the encoder's tensors in a checkpoint: "" for a bare {@code BertModel}, {@code bert.} or
     * {@code roberta.} for task models.
     *
     * @throws CheckpointException when no word embedding table is found under any of them
     */
    public static String sourcePrefix(BertConfig config, TensorSource weights) {
        for (String prefix : List.of("", config.modelType() + ".", "bert.", "roberta.")) {
            if (weights.contains(prefix + "embeddings.word_embeddings.weight")) {
                return prefix;
            }
        }
        throw new CheckpointException(weights.location(), "embeddings.word_embeddings.weight",
                "not found (also looked under bert. and roberta.): this is not a BERT/RoBERTa checkpoint");
    }

    /** Every tensor the encoder needs (pooler excluded: it is optional) under a checkpoint prefix. */
    public static List<String> requiredTensorNames(BertConfig config, String prefix) {
        List<String> names = new ArrayList<>();
        for (String n : BertEmbeddings.tensorNames()) {
            names.add(prefix + "embeddings." + n);
        }
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            for (String n : BertLayer.tensorNames()) {
                names.add(prefix + "encoder.layer." + i + "." + n);
            }
        }
        return names;
    }

    /** Logs checkpoint tensors that no module reads. */
    static void logExtras(TensorSource weights, List<String> used) {
        Set<String> extra = new TreeSet<>(weights.names());
        used.forEach(extra::remove);
        if (!extra.isEmpty()) {
            LOG.info("{}: {} tensor(s) not used by the model: {}", weights.location(), extra.size(), extra);
        }
    }

    /** The configuration. */
    public BertConfig config() {
        return config;
    }

    /** The embeddings module. */
    public BertEmbeddings embeddings() {
        return embeddings;
    }

    /** The transformer layers, in order. */
    public List<BertLayer> layers() {
        return List.copyOf(layers);
    }

    /** Whether the model has a pooler (MiniLM exports have none). */
    public boolean hasPooler() {
        return pooler != null;
    }

    /** Whether the pooler was not in the checkpoint and was initialised from a seed. */
    boolean poolerInitialised() {
        return poolerInitialised;
    }

    /**
     * The last hidden states.
     *
     * @param inputIds token ids, [B, T] int64
     * @param attentionMask 1 for tokens, 0 for padding, [B, T]; null for no padding
     * @param tokenTypeIds segment ids, [B, T], or null for all zeros
     * @param ctx training (dropout on) or inference
     * @return [B, T, hidden]
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, ForwardContext ctx) {
        if (inputIds.getShape().dimension() != 2) {
            throw new IllegalArgumentException("inputIds must be [batch, tokens], got " + inputIds.getShape());
        }
        NDArray x = embeddings.forward(inputIds, tokenTypeIds, ctx);
        NDArray additiveMask = additiveMask(inputIds, attentionMask);
        for (BertLayer layer : layers) {
            x = layer.forward(x, additiveMask, ctx);
        }
        return x;
    }

    /** 0 where a key may be attended, the most negative float at padding; [B, 1, 1, T] (or a scalar 0). */
    private static NDArray additiveMask(NDArray inputIds, NDArray attentionMask) {
        if (attentionMask == null) {
            return EngineArrays.own(inputIds.getManager().create(0f));
        }
        if (!attentionMask.getShape().equals(inputIds.getShape())) {
            throw new IllegalArgumentException("attentionMask " + attentionMask.getShape()
                    + " must have the shape of inputIds " + inputIds.getShape());
        }
        Shape s = attentionMask.getShape();
        // Hugging Face adds torch.finfo(float32).min: it keeps softmax finite even for an all-padding row.
        return attentionMask.toType(DataType.FLOAT32, false).neg().add(1f).mul(-Float.MAX_VALUE)
                .reshape(new Shape(s.get(0), 1, 1, s.get(1)));
    }

    /**
     * The pooler output, {@code tanh(dense(h[:, 0]))}.
     *
     * @param hidden last hidden states, [B, T, hidden]
     * @param ctx the forward mode (adapters on the pooler)
     * @return [B, hidden]
     * @throws IllegalStateException when the model has no pooler
     */
    public NDArray pooledOutput(NDArray hidden, ForwardContext ctx) {
        if (pooler == null) {
            throw new IllegalStateException("this checkpoint has no pooler (pooler.dense); use mean or CLS pooling");
        }
        return pooler.forward(hidden.get(new NDIndex(":, 0, :")), ctx).tanh();
    }

    /**
     * Sentence embeddings.
     *
     * @return [B, hidden]
     */
    public NDArray embed(NDArray inputIds, NDArray attentionMask, Pooling pooling, ForwardContext ctx) {
        NDArray hidden = hiddenStates(inputIds, attentionMask, null, ctx);
        NDArray mask = attentionMask != null ? attentionMask : inputIds.onesLike();
        return pooling.apply(hidden, mask);
    }

    @Override
    public String modelType() {
        return config.modelType();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Set<String> outputHeadPaths() {
        return Set.of();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        List<Layer> out = new ArrayList<>();
        out.add(embeddings);
        out.add(encoder);
        if (pooler != null) {
            out.add(new LayerGroup(Layers.key(path, "pooler"), List.of(pooler)));
        }
        return out;
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "BertModel(" + config.modelType() + ", layers=" + config.numHiddenLayers() + ", hidden="
                + config.hiddenSize() + ", heads=" + config.numAttentionHeads() + (pooler != null ? ", pooler" : "")
                + ")";
    }
}
