package dev.balora.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.Dropouts;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.LayerGroup;
import dev.balora.nn.Linear;
import dev.balora.objective.Scalars;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An encoder with a sequence classification or regression head, laid out as Hugging Face's
 * {@code BertForSequenceClassification} ({@code bert.*}, pooler, {@code classifier}) or
 * {@code RobertaForSequenceClassification} ({@code roberta.*}, {@code classifier.dense},
 * {@code classifier.out_proj} on the first token).
 *
 * <p>A head the checkpoint lacks (fine-tuning starts from a bare encoder) is initialised from a seed, as is a
 * missing BERT pooler when the head reads the pooler; both then count as output heads. What the head reads is a
 * {@link ClassifierPooling}: by default the pooler when the checkpoint has a trained one, else the mean of the token
 * states (sentence-transformers checkpoints were trained that way).
 */
public final class BertForSequenceClassification implements PretrainedModel {
    private static final Logger LOG = LoggerFactory.getLogger(BertForSequenceClassification.class);

    private final BertConfig config;
    private final BertModel encoder;
    private final Linear classifier; // BERT: [labels, hidden]; RoBERTa: classifier.out_proj [labels, hidden]
    private final Linear headDense; // RoBERTa only: classifier.dense [hidden, hidden]; else null
    private final ClassifierPooling pooling; // resolved, never AUTO
    private final Pooling tokenPooling; // what feeds the head; null for BERT's pooler
    private final Set<String> heads = new LinkedHashSet<>();

    private BertForSequenceClassification(BertConfig config, TensorSource weights, NDManager manager, long seed,
            ClassifierPooling requested) {
        this.config = config;
        String source = BertModel.sourcePrefix(config, weights);
        List<String> needed = BertModel.requiredTensorNames(config, source);
        weights.requireAll(needed);
        String root = config.modelType();
        boolean roberta = config.isRoberta();
        pooling = requested.resolve(BertModel.checkpointHasPooler(source, weights), roberta);
        tokenPooling = pooling.tokenPooling(roberta);
        boolean bertPooler = !roberta && pooling == ClassifierPooling.POOLER;
        encoder = BertModel.loadAt(root, source, config, weights, manager, bertPooler, bertPooler ? seed : null);
        long h = config.hiddenSize();
        long labels = config.numLabels();
        if (roberta) {
            headDense = headLinear("classifier.dense", h, h, weights, manager, seed);
            classifier = headLinear("classifier.out_proj", labels, h, weights, manager, seed);
        } else {
            headDense = null;
            classifier = headLinear("classifier", labels, h, weights, manager, seed);
            if (encoder.poolerInitialised()) {
                heads.add(root + ".pooler.dense");
            }
        }
        List<String> used = new ArrayList<>(needed);
        for (String module : List.of("pooler.dense", "classifier", "classifier.dense", "classifier.out_proj")) {
            String prefix = module.startsWith("pooler") ? source : "";
            used.add(prefix + module + ".weight");
            used.add(prefix + module + ".bias");
        }
        BertModel.logExtras(weights, used);
    }

    private Linear headLinear(String path, long out, long in, TensorSource weights, NDManager manager, long seed) {
        heads.add(path);
        if (weights.contains(path + ".weight")) {
            return new Linear(path, weights.load(path + ".weight", manager, out, in),
                    weights.load(path + ".bias", manager, out));
        }
        LOG.info("{} has no {}; initialising it from seed {}", weights.location(), path, seed);
        return SeededInit.linear(path, out, in, seed, manager);
    }

    /**
     * Loads a classifier from a task checkpoint, or from a bare encoder with a new head, with
     * {@link ClassifierPooling#AUTO}.
     *
     * @param config the configuration ({@code num_labels}, {@code problem_type} shape the head)
     * @param weights encoder tensors with or without the {@code bert.}/{@code roberta.} prefix, plus the head's
     * @param manager the owner of the weights (the model takes it over)
     * @param seed seeds the head (and a missing pooler) when the checkpoint lacks it
     */
    public static BertForSequenceClassification load(BertConfig config, TensorSource weights, NDManager manager,
            long seed) {
        return load(config, weights, manager, seed, ClassifierPooling.AUTO);
    }

    /**
     * Loads a classifier whose head reads the encoder as {@code pooling} says.
     *
     * @param pooling what the head reads (AUTO: the pooler when the checkpoint has one, else the token mean)
     * @see #load(BertConfig, TensorSource, NDManager, long)
     */
    public static BertForSequenceClassification load(BertConfig config, TensorSource weights, NDManager manager,
            long seed, ClassifierPooling pooling) {
        return new BertForSequenceClassification(config, weights, manager, seed, Objects.requireNonNull(pooling));
    }

    /** What the head reads (resolved: never AUTO). */
    public ClassifierPooling pooling() {
        return pooling;
    }

    /** The configuration. */
    public BertConfig config() {
        return config;
    }

    /** The encoder ({@code bert} / {@code roberta}). */
    public BertModel encoder() {
        return encoder;
    }

    /** What the head predicts. */
    public ProblemType problemType() {
        return config.problemType();
    }

    /**
     * The head's outputs.
     *
     * @param inputIds [B, T] int64
     * @param attentionMask [B, T], or null
     * @param tokenTypeIds [B, T], or null
     * @param ctx training (dropout on) or inference
     * @return logits (or regression values), [B, num_labels]
     */
    public NDArray logits(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, ForwardContext ctx) {
        NDArray hidden = encoder.hiddenStates(inputIds, attentionMask, tokenTypeIds, ctx);
        return head(hidden, attentionMask != null ? attentionMask : inputIds.onesLike(), ctx);
    }

    /**
     * The head on the encoder's last hidden states: pooling, dropout (training only), classifier.
     *
     * @param hidden [B, T, hidden]
     * @param attentionMask 1 for tokens, 0 for padding, [B, T]
     * @param ctx training (dropout on) or inference; adapters on the head's own Linears follow it
     * @return [B, num_labels]
     */
    public NDArray head(NDArray hidden, NDArray attentionMask, ForwardContext ctx) {
        float drop = config.classifierDropout();
        if (tokenPooling == null) {
            return classifier.forward(Dropouts.apply(encoder.pooledOutput(hidden, ctx), drop, ctx), ctx);
        }
        NDArray pooled = Dropouts.apply(tokenPooling.apply(hidden, attentionMask), drop, ctx);
        if (headDense != null) {
            pooled = Dropouts.apply(headDense.forward(pooled, ctx).tanh(), drop, ctx);
        }
        return classifier.forward(pooled, ctx);
    }

    /**
     * The task loss of Hugging Face's head for this problem type: mean squared error (regression), mean
     * cross-entropy (single label) or mean binary cross-entropy with logits (multi label).
     *
     * @param logits [B, num_labels]
     * @param labels regression: [B] or [B, 1] values; single label: [B] class ids; multi label: [B, num_labels]
     * @return a scalar
     */
    public NDArray loss(NDArray logits, NDArray labels) {
        return switch (config.problemType()) {
            case REGRESSION -> logits.reshape(-1).sub(labels.toType(DataType.FLOAT32, false).reshape(-1))
                    .square().mean();
            case SINGLE_LABEL -> {
                NDArray logp = logits.logSoftmax(-1);
                NDArray picked = logp.gather(labels.toType(DataType.INT64, false).reshape(-1, 1), 1);
                yield picked.mean().neg();
            }
            case MULTI_LABEL -> {
                NDArray y = labels.toType(DataType.FLOAT32, false);
                // log(1 + e^-|x|) + max(x, 0) - x y: the stable form of binary cross-entropy with logits.
                NDArray softplus = logits.abs().neg().exp().add(1f).log().add(logits.maximum(Scalars.like(logits, 0)));
                yield softplus.sub(logits.mul(y)).mean();
            }
        };
    }

    @Override
    public String modelType() {
        return config.modelType();
    }

    @Override
    public NDManager manager() {
        return encoder.manager();
    }

    @Override
    public Set<String> outputHeadPaths() {
        return Set.copyOf(heads);
    }

    @Override
    public List<? extends Layer> children() {
        if (headDense != null) {
            return List.of(encoder, new LayerGroup("classifier", List.of(headDense, classifier)));
        }
        return List.of(encoder, classifier);
    }
}
