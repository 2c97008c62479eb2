package dev.balora.model.bert;

import com.google.gson.JsonObject;
import dev.balora.checkpoint.ConfigReader;
import dev.balora.nn.Activation;
import java.util.Locale;

/**
 * The validated configuration of a BERT or RoBERTa encoder, read from {@code config.json}.
 *
 * <p>RoBERTa differs only where the configuration says so: positions start after {@code pad_token_id} and skip
 * padding, and there is one token type.
 */
public final class BertConfig {
    private final String modelType;
    private final int vocabSize;
    private final int hiddenSize;
    private final int numHiddenLayers;
    private final int numAttentionHeads;
    private final int intermediateSize;
    private final Activation hiddenAct;
    private final float hiddenDropoutProb;
    private final float attentionProbsDropoutProb;
    private final float classifierDropout;
    private final int maxPositionEmbeddings;
    private final int typeVocabSize;
    private final float layerNormEps;
    private final int padTokenId;
    private final int numLabels;
    private final ProblemType problemType;

    private BertConfig(ConfigReader c) {
        modelType = c.string("model_type").toLowerCase(Locale.ROOT);
        if (!modelType.equals("bert") && !modelType.equals("roberta")) {
            throw c.error("model_type", "must be \"bert\" or \"roberta\" for a BERT encoder, got \"" + modelType
                    + "\"");
        }
        vocabSize = c.positiveInt("vocab_size");
        hiddenSize = c.positiveInt("hidden_size");
        numHiddenLayers = c.positiveInt("num_hidden_layers");
        numAttentionHeads = c.positiveInt("num_attention_heads");
        if (hiddenSize % numAttentionHeads != 0) {
            throw c.error("num_attention_heads", "(" + numAttentionHeads + ") must divide hidden_size ("
                    + hiddenSize + ")");
        }
        intermediateSize = c.positiveInt("intermediate_size");
        String act = c.string("hidden_act", "gelu");
        try {
            hiddenAct = Activation.fromHfName(act);
        } catch (IllegalArgumentException e) {
            throw c.error("hidden_act", e.getMessage());
        }
        hiddenDropoutProb = probability(c, "hidden_dropout_prob", 0.1);
        attentionProbsDropoutProb = probability(c, "attention_probs_dropout_prob", 0.1);
        classifierDropout = c.has("classifier_dropout") ? probability(c, "classifier_dropout", 0.1)
                : hiddenDropoutProb;
        maxPositionEmbeddings = c.positiveInt("max_position_embeddings", 512);
        typeVocabSize = c.positiveInt("type_vocab_size", modelType.equals("roberta") ? 1 : 2);
        layerNormEps = (float) c.number("layer_norm_eps", 1e-12);
        if (!(layerNormEps > 0)) {
            throw c.error("layer_norm_eps", "must be positive, got " + layerNormEps);
        }
        padTokenId = c.integer("pad_token_id", modelType.equals("roberta") ? 1 : 0);
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw c.error("pad_token_id", "must lie in [0, vocab_size), got " + padTokenId);
        }
        String positions = c.string("position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw c.error("position_embedding_type", "\"" + positions + "\" is not supported; only \"absolute\"");
        }
        ConfigReader id2label = c.object("id2label");
        int labels = c.has("num_labels") ? c.positiveInt("num_labels")
                : id2label != null && id2label.json().size() > 0 ? id2label.json().size() : 2;
        numLabels = labels;
        String problem = c.string("problem_type", null);
        if (problem == null) {
            problemType = numLabels == 1 ? ProblemType.REGRESSION : ProblemType.SINGLE_LABEL;
        } else {
            problemType = ProblemType.parse(problem);
            if (problemType == null) {
                throw c.error("problem_type", "\"" + problem + "\" is unknown; use regression, "
                        + "single_label_classification or multi_label_classification");
            }
            if (problemType == ProblemType.REGRESSION && numLabels != 1) {
                throw c.error("problem_type", "regression needs num_labels = 1, got " + numLabels);
            }
        }
    }

    private static float probability(ConfigReader c, String key, double fallback) {
        double p = c.number(key, fallback);
        if (!(p >= 0 && p < 1)) {
            throw c.error(key, "must lie in [0, 1), got " + p);
        }
        return (float) p;
    }

    /**
     * Parses and validates a configuration.
     *
     * @param file where it came from, for messages
     * @param json the parsed {@code config.json}
     * @throws dev.balora.checkpoint.CheckpointException naming the file and key of the first problem
     */
    public static BertConfig parse(Object file, JsonObject json) {
        return new BertConfig(new ConfigReader(file, json));
    }

    /** {@code bert} or {@code roberta}. */
    public String modelType() {
        return modelType;
    }

    /** Whether positions follow RoBERTa's rule (offset by the padding id, padding skipped). */
    public boolean isRoberta() {
        return modelType.equals("roberta");
    }

    /** Vocabulary size. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Width of the hidden states. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Number of transformer layers. */
    public int numHiddenLayers() {
        return numHiddenLayers;
    }

    /** Number of attention heads. */
    public int numAttentionHeads() {
        return numAttentionHeads;
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Width of the feed-forward layer. */
    public int intermediateSize() {
        return intermediateSize;
    }

    /** The feed-forward activation. */
    public Activation hiddenAct() {
        return hiddenAct;
    }

    /** Dropout on embeddings and sub-layer outputs (training only). */
    public float hiddenDropoutProb() {
        return hiddenDropoutProb;
    }

    /** Dropout on attention probabilities (training only). */
    public float attentionProbsDropoutProb() {
        return attentionProbsDropoutProb;
    }

    /** Dropout before the classifier ({@code classifier_dropout}, else {@code hidden_dropout_prob}). */
    public float classifierDropout() {
        return classifierDropout;
    }

    /** Rows of the position embedding table. */
    public int maxPositionEmbeddings() {
        return maxPositionEmbeddings;
    }

    /** Rows of the token-type embedding table. */
    public int typeVocabSize() {
        return typeVocabSize;
    }

    /** LayerNorm epsilon. */
    public float layerNormEps() {
        return layerNormEps;
    }

    /** The padding token id (RoBERTa's position offset). */
    public int padTokenId() {
        return padTokenId;
    }

    /** Longest input the position table allows (RoBERTa loses pad_token_id + 1 rows to its offset). */
    public int maxSequenceLength() {
        return isRoberta() ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
    }

    /** Number of classifier outputs. */
    public int numLabels() {
        return numLabels;
    }

    /** What the classification head predicts. */
    public ProblemType problemType() {
        return problemType;
    }
}
