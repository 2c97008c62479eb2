package dev.balora.model.llama;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.ConfigReader;
import dev.balora.model.UnsupportedModelException;
import dev.balora.nn.Activation;
import dev.balora.nn.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The validated, immutable configuration of a Llama-family decoder (Llama, Mistral, Qwen2, Gemma). */
public final class LlamaConfig {
    private final LlamaVariant variant;
    private final int vocabSize;
    private final int hiddenSize;
    private final int intermediateSize;
    private final int numLayers;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final float rmsNormEps;
    private final double ropeTheta;
    private final RopeScaling ropeScaling;
    private final Activation activation;
    private final boolean tieWordEmbeddings;
    private final boolean qkvBias;
    private final boolean outputBias;
    private final boolean mlpBias;
    private final int maxPositions;
    private final int slidingWindow;
    private final List<Integer> eosTokenIds;
    private final int bosTokenId;
    private final int padTokenId;

    private LlamaConfig(ConfigReader c) {
        variant = LlamaVariant.of(c.string("model_type"));
        checkArchitecture(c, variant);
        vocabSize = c.positiveInt("vocab_size");
        hiddenSize = c.positiveInt("hidden_size");
        intermediateSize = c.positiveInt("intermediate_size");
        numLayers = c.positiveInt("num_hidden_layers");
        numHeads = c.positiveInt("num_attention_heads");
        numKvHeads = c.positiveInt("num_key_value_heads", numHeads);
        if (numHeads % numKvHeads != 0) {
            throw c.error("num_key_value_heads", "(" + numKvHeads + ") must divide num_attention_heads ("
                    + numHeads + ")");
        }
        if (!c.has("head_dim") && hiddenSize % numHeads != 0) {
            throw c.error("hidden_size", "(" + hiddenSize + ") must be a multiple of num_attention_heads ("
                    + numHeads + ") when head_dim is not given");
        }
        headDim = c.positiveInt("head_dim", hiddenSize / numHeads);
        if (headDim % 2 != 0) {
            throw c.error("head_dim", "must be even for rotary embeddings, got " + headDim);
        }
        rmsNormEps = (float) c.number("rms_norm_eps", 1e-6);
        ropeTheta = c.number("rope_theta", 10000.0);
        if (!(ropeTheta > 0)) {
            throw c.error("rope_theta", "must be positive, got " + ropeTheta);
        }
        ropeScaling = ropeScaling(c);
        activation = activation(c, variant);
        tieWordEmbeddings = c.bool("tie_word_embeddings", variant.tiedByDefault());
        boolean attentionBias = c.bool("attention_bias", false);
        qkvBias = variant == LlamaVariant.QWEN2 || attentionBias;
        outputBias = variant != LlamaVariant.QWEN2 && attentionBias;
        mlpBias = c.bool("mlp_bias", false);
        maxPositions = c.positiveInt("max_position_embeddings", 2048);
        boolean windowed = variant == LlamaVariant.MISTRAL
                || (variant == LlamaVariant.QWEN2 && c.bool("use_sliding_window", false));
        slidingWindow = windowed && c.has("sliding_window") ? c.positiveInt("sliding_window") : 0;
        bosTokenId = c.integer("bos_token_id", -1);
        padTokenId = c.integer("pad_token_id", -1);
        eosTokenIds = ids(c, "eos_token_id");
    }

    /**
     * Reads and validates a config.
     *
     * @param config the parsed config.json
     * @param file where it came from, for messages
     * @return the config
     * @throws dev.balora.checkpoint.CheckpointException naming the file and key of any invalid value
     * @throws UnsupportedModelException for a model type or architecture outside the family
     */
    public static LlamaConfig from(JsonObject config, Object file) {
        ConfigReader c = new ConfigReader(file, config);
        try {
            LlamaVariant.of(c.string("model_type"));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(e.getMessage());
        }
        return new LlamaConfig(c);
    }

    private static void checkArchitecture(ConfigReader c, LlamaVariant variant) {
        if (!c.has("architectures") || !c.json().get("architectures").isJsonArray()) {
            return;
        }
        for (JsonElement e : c.json().getAsJsonArray("architectures")) {
            String arch = e.getAsString();
            if (!arch.endsWith("ForCausalLM") && !arch.endsWith("Model")) {
                throw new UnsupportedModelException("architecture '" + arch + "' of model_type '"
                        + variant.modelType() + "' is not supported; balora loads " + variant.architecture()
                        + " (the causal LM)");
            }
        }
    }

    private static RopeScaling ropeScaling(ConfigReader c) {
        ConfigReader r = c.object("rope_scaling");
        if (r == null) {
            return RopeScaling.NONE;
        }
        String type = r.string("rope_type", r.string("type", "default")).toLowerCase(Locale.ROOT);
        switch (type) {
            case "default":
                return RopeScaling.NONE;
            case "linear":
                return new RopeScaling(RopeScaling.Type.LINEAR, r.number("factor"), 1, 1, 1);
            case "llama3":
                return new RopeScaling(RopeScaling.Type.LLAMA3, r.number("factor"), r.number("low_freq_factor"),
                        r.number("high_freq_factor"), r.positiveInt("original_max_position_embeddings"));
            default:
                throw c.error("rope_scaling", "type '" + type + "' is not supported; balora supports default, "
                        + "linear and llama3");
        }
    }

    private static Activation activation(ConfigReader c, LlamaVariant variant) {
        try {
            if (variant == LlamaVariant.GEMMA) {
                // Gemma always runs the tanh approximation; Hugging Face overrides an exact "gelu" here too.
                String name = c.string("hidden_activation", "gelu_pytorch_tanh");
                Activation a = Activation.fromHfName(name);
                return a == Activation.GELU ? Activation.GELU_TANH : a;
            }
            return Activation.fromHfName(c.string("hidden_act", "silu"));
        } catch (IllegalArgumentException e) {
            throw c.error(variant == LlamaVariant.GEMMA ? "hidden_activation" : "hidden_act", e.getMessage());
        }
    }

    private static List<Integer> ids(ConfigReader c, String key) {
        List<Integer> out = new ArrayList<>();
        if (!c.has(key)) {
            return out;
        }
        JsonElement e = c.json().get(key);
        if (e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                out.add(x.getAsInt());
            }
        } else {
            out.add(c.integer(key, -1));
        }
        return List.copyOf(out);
    }

    /** The variant. */
    public LlamaVariant variant() {
        return variant;
    }

    /** Vocabulary size. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Width of the residual stream. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Width of the feed-forward block. */
    public int intermediateSize() {
        return intermediateSize;
    }

    /** Decoder layers. */
    public int numLayers() {
        return numLayers;
    }

    /** Query heads. */
    public int numHeads() {
        return numHeads;
    }

    /** Key/value heads (fewer than query heads for grouped-query attention). */
    public int numKvHeads() {
        return numKvHeads;
    }

    /** Dimensions per head (explicit for Gemma). */
    public int headDim() {
        return headDim;
    }

    /** RMSNorm epsilon. */
    public float rmsNormEps() {
        return rmsNormEps;
    }

    /** Rotary base. */
    public double ropeTheta() {
        return ropeTheta;
    }

    /** Rotary frequency rescaling. */
    public RopeScaling ropeScaling() {
        return ropeScaling;
    }

    /** The feed-forward gate activation. */
    public Activation activation() {
        return activation;
    }

    /** Whether lm_head shares the token embedding. */
    public boolean tieWordEmbeddings() {
        return tieWordEmbeddings;
    }

    /** Whether q/k/v projections have biases. */
    public boolean qkvBias() {
        return qkvBias;
    }

    /** Whether the output projection has a bias. */
    public boolean outputBias() {
        return outputBias;
    }

    /** Whether the feed-forward projections have biases. */
    public boolean mlpBias() {
        return mlpBias;
    }

    /** max_position_embeddings. */
    public int maxPositions() {
        return maxPositions;
    }

    /** Sliding-window length, or 0 when attention is global. */
    public int slidingWindow() {
        return slidingWindow;
    }

    /** End-of-sequence ids (Llama 3 lists several); possibly empty. */
    public List<Integer> eosTokenIds() {
        return eosTokenIds;
    }

    /** Beginning-of-sequence id, or -1. */
    public int bosTokenId() {
        return bosTokenId;
    }

    /** Padding id, or -1. */
    public int padTokenId() {
        return padTokenId;
    }

    /** Whether RMSNorm scales by (1 + w) and embeddings are multiplied by sqrt(hidden) (Gemma). */
    public boolean gemmaStyle() {
        return variant == LlamaVariant.GEMMA;
    }
}
