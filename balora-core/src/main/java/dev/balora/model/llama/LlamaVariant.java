package dev.balora.model.llama;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The Hugging Face model types served by the Llama architecture, with the defaults that differ between them. */
public enum LlamaVariant {
    /** LLaMA 2/3, TinyLlama, SmolLM. */
    LLAMA("llama", "LlamaForCausalLM", false),
    /** Mistral (sliding-window attention only matters past the window). */
    MISTRAL("mistral", "MistralForCausalLM", false),
    /** Qwen2: biases on the q/k/v projections. */
    QWEN2("qwen2", "Qwen2ForCausalLM", false),
    /** Gemma: GeGLU, RMSNorm scaled by (1 + w), embeddings times sqrt(hidden), explicit head_dim, tied head. */
    GEMMA("gemma", "GemmaForCausalLM", true);

    private final String modelType;
    private final String architecture;
    private final boolean tiedByDefault;

    LlamaVariant(String modelType, String architecture, boolean tiedByDefault) {
        this.modelType = modelType;
        this.architecture = architecture;
        this.tiedByDefault = tiedByDefault;
    }

    /** The {@code model_type} of config.json. */
    public String modelType() {
        return modelType;
    }

    /** The causal-LM class name in config.json's {@code architectures}. */
    public String architecture() {
        return architecture;
    }

    /** Hugging Face's default for {@code tie_word_embeddings}. */
    public boolean tiedByDefault() {
        return tiedByDefault;
    }

    /**
     * The variant of a {@code model_type}.
     *
     * @throws IllegalArgumentException listing the supported types
     */
    public static LlamaVariant of(String modelType) {
        for (LlamaVariant v : values()) {
            if (v.modelType.equals(modelType.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("model_type '" + modelType + "' is not a Llama-family type; supported: "
                + modelTypes());
    }

    /** All model types, in declaration order. */
    public static List<String> modelTypes() {
        return Arrays.stream(values()).map(LlamaVariant::modelType).toList();
    }
}
