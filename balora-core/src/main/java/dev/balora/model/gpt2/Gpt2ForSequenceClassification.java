package dev.balora.model.gpt2;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.Linear;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hugging Face's {@code GPT2ForSequenceClassification}: a bias-free {@code score} Linear applied to the hidden state
 * of each row's last real (non-padding) token.
 */
public final class Gpt2ForSequenceClassification implements PretrainedModel {
    private static final Logger LOG = LoggerFactory.getLogger(Gpt2ForSequenceClassification.class);
    /** Seed of a newly initialised score head, so runs are repeatable. */
    static final long HEAD_SEED = 42;

    private final Gpt2Model transformer;
    private final Linear score; // [labels, hidden]
    private final NDManager manager;

    private Gpt2ForSequenceClassification(Gpt2Model transformer, Linear score, NDManager manager) {
        this.transformer = transformer;
        this.score = score;
        this.manager = manager;
    }

    /**
     * Loads the model. A checkpoint without {@code score.weight} (a bare GPT-2 about to be fine-tuned) gets a head
     * drawn from N(0, initializer_range²) with a fixed seed, as Hugging Face initialises a missing head.
     */
    public static Gpt2ForSequenceClassification load(Gpt2Config c, TensorSource weights, NDManager manager) {
        Gpt2Model trunk = Gpt2Model.load(c, weights, manager);
        NDArray w;
        if (weights.contains("score.weight")) {
            w = weights.load("score.weight", manager, c.numLabels(), c.hiddenSize());
        } else {
            LOG.warn("{} has no score.weight: initialising a {}-label head from N(0, {}^2)", weights.location(),
                    c.numLabels(), c.initializerRange());
            Random r = new Random(HEAD_SEED);
            float[] v = new float[c.numLabels() * c.hiddenSize()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * c.initializerRange());
            }
            w = EngineArrays.own(manager.create(v, new Shape(c.numLabels(), c.hiddenSize())));
        }
        return new Gpt2ForSequenceClassification(trunk, new Linear("score", w, null), manager);
    }

    /** The trunk. */
    public Gpt2Model transformer() {
        return transformer;
    }

    /** Number of classes. */
    public int numLabels() {
        return (int) score.outFeatures();
    }

    /**
     * Class logits.
     *
     * @param inputIds [batch, tokens]
     * @param attentionMask [batch, tokens] of 0/1 (left or right padding); null means the pad id of the config marks
     *     padding, or, without one, that nothing is padded
     * @param context forward mode
     * @return [batch, labels]
     */
    public NDArray logits(NDArray inputIds, NDArray attentionMask, ForwardContext context) {
        NDArray mask = attentionMask;
        int pad = transformer.config().padTokenId();
        if (mask == null && pad >= 0) {
            mask = inputIds.neq(pad).toType(DataType.INT32, false);
        }
        NDArray hidden = transformer.forward(inputIds, mask, null, context); // [batch, tokens, hidden]
        long b = hidden.getShape().get(0);
        long t = hidden.getShape().get(1);
        float[] pick = new float[(int) (b * t)];
        int[] m = mask == null ? null : mask.toType(DataType.INT32, false).toIntArray();
        for (int i = 0; i < b; i++) {
            int last = (int) t - 1;
            if (m != null) {
                last = -1;
                for (int j = 0; j < t; j++) {
                    if (m[(int) (i * t + j)] != 0) {
                        last = j;
                    }
                }
                if (last < 0) {
                    throw new IllegalArgumentException("row " + i + " of the batch has no real token");
                }
            }
            pick[(int) (i * t + last)] = 1f;
        }
        // A one-hot weighted sum keeps the selection differentiable with respect to the hidden states.
        NDArray select = EngineArrays.own(inputIds.getManager().create(pick, new Shape(b, t, 1)));
        NDArray pooled = hidden.mul(select).sum(new int[] {1});
        return score.forward(pooled, context);
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
        return Set.of("score");
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(transformer, score);
    }
}
