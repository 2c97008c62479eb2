package dev.balora.model.gpt2;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.ConfigReader;
import dev.balora.model.UnsupportedModelException;
import dev.balora.nn.Activation;
import java.util.List;

/** The validated, immutable configuration of a GPT-2 model and which head it carries. */
public final class Gpt2Config {
    /** The architectures balora loads for model_type gpt2. */
    public static final List<String> ARCHITECTURES = List.of("GPT2LMHeadModel", "GPT2ForSequenceClassification");

    /** Which head sits on the trunk. */
    public enum Head {
        /** Tied language-model head. */
        LM,
        /** A bias-free {@code score} Linear over the last real token. */
        SEQUENCE_CLASSIFICATION
    }

    private final Head head;
    private final int vocabSize;
    private final int hiddenSize;
    private final int numHeads;
    private final int numLayers;
    private final int maxPositions;
    private final int innerSize;
    private final float layerNormEps;
    private final Activation activation;
    private final int numLabels;
    private final int padTokenId;
    private final int eosTokenId;
    private final float initializerRange;
    private final float embdPdrop;
    private final float attnPdrop;
    private final float residPdrop;

    private Gpt2Config(ConfigReader c) {
        String type = c.string("model_type");
        if (!type.equals("gpt2")) {
            throw new UnsupportedModelException("model_type '" + type + "' is not GPT-2");
        }
        head = head(c);
        vocabSize = c.positiveInt("vocab_size");
        hiddenSize = c.positiveInt("n_embd");
        numHeads = c.positiveInt("n_head");
        if (hiddenSize % numHeads != 0) {
            throw c.error("n_embd", "(" + hiddenSize + ") must be a multiple of n_head (" + numHeads + ")");
        }
        numLayers = c.positiveInt("n_layer");
        maxPositions = c.positiveInt("n_positions", 1024);
        innerSize = c.positiveInt("n_inner", 4 * hiddenSize);
        layerNormEps = (float) c.number("layer_norm_epsilon", 1e-5);
        try {
            activation = Activation.fromHfName(c.string("activation_function", "gelu_new"));
        } catch (IllegalArgumentException e) {
            throw c.error("activation_function", e.getMessage());
        }
        if (!c.bool("scale_attn_weights", true) || c.bool("scale_attn_by_inverse_layer_idx", false)
                || c.bool("reorder_and_upcast_attn", false)) {
            throw c.error("scale_attn_weights", "balora supports only GPT-2's standard 1/sqrt(head_dim) scaling");
        }
        int labels = c.has("id2label") && c.json().get("id2label").isJsonObject()
                ? c.json().getAsJsonObject("id2label").size() : 2;
        numLabels = c.positiveInt("num_labels", labels);
        padTokenId = c.integer("pad_token_id", -1);
        eosTokenId = c.integer("eos_token_id", -1);
        initializerRange = (float) c.number("initializer_range", 0.02);
        embdPdrop = rate(c, "embd_pdrop");
        attnPdrop = rate(c, "attn_pdrop");
        residPdrop = rate(c, "resid_pdrop");
    }

    private static float rate(ConfigReader c, String key) {
        double p = c.number(key, 0.1);
        if (!(p >= 0 && p < 1)) {
            throw c.error(key, "must be in [0, 1), got " + p);
        }
        return (float) p;
    }

    /**
     * Reads and validates a config.
     *
     * @param config the parsed config.json
     * @param file where it came from, for messages
     * @throws UnsupportedModelException when the architecture is not one of {@link #ARCHITECTURES}
     */
    public static Gpt2Config from(JsonObject config, Object file) {
        return new Gpt2Config(new ConfigReader(file, config));
    }

    private static Head head(ConfigReader c) {
        if (!c.has("architectures") || !c.json().get("architectures").isJsonArray()) {
            return Head.LM;
        }
        Head found = Head.LM;
        for (JsonElement e : c.json().getAsJsonArray("architectures")) {
            String arch = e.getAsString();
            if (arch.equals("GPT2ForSequenceClassification")) {
                found = Head.SEQUENCE_CLASSIFICATION;
            } else if (!arch.equals("GPT2LMHeadModel") && !arch.equals("GPT2Model")) {
                throw new UnsupportedModelException("architecture '" + arch + "' of model_type 'gpt2' is not "
                        + "supported; balora supports " + ARCHITECTURES);
            }
        }
        return found;
    }

    /** The head named by {@code architectures} (LM when absent). */
    public Head head() {
        return head;
    }

    /** Vocabulary size. */
    public int vocabSize() {
        return vocabSize;
    }

    /** n_embd. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** n_head. */
    public int numHeads() {
        return numHeads;
    }

    /** n_layer. */
    public int numLayers() {
        return numLayers;
    }

    /** n_positions: rows of the learned position table. */
    public int maxPositions() {
        return maxPositions;
    }

    /** Width of the feed-forward block (n_inner, default 4 n_embd). */
    public int innerSize() {
        return innerSize;
    }

    /** LayerNorm epsilon. */
    public float layerNormEps() {
        return layerNormEps;
    }

    /** The feed-forward activation (gelu_new for GPT-2). */
    public Activation activation() {
        return activation;
    }

    /** Classes of the classification head. */
    public int numLabels() {
        return numLabels;
    }

    /** Padding id, or -1. */
    public int padTokenId() {
        return padTokenId;
    }

    /** End-of-text id, or -1. */
    public int eosTokenId() {
        return eosTokenId;
    }

    /** Dropout after the embeddings (training passes only). */
    public float embdPdrop() {
        return embdPdrop;
    }

    /** Dropout on attention probabilities (training passes only). */
    public float attnPdrop() {
        return attnPdrop;
    }

    /** Dropout on each residual branch (training passes only). */
    public float residPdrop() {
        return residPdrop;
    }

    /** Standard deviation used to initialise a classification head the checkpoint lacks. */
    public float initializerRange() {
        return initializerRange;
    }
}
