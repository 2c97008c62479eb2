package dev.balora.onnx;

import com.google.gson.JsonObject;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.model.bert.BertConfig;
import dev.balora.model.bert.BertModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Imports a PyTorch-exported BERT ONNX graph as a Hugging Face checkpoint: named weights in HF layout, an
 * inferred configuration, and the tokenizer.
 */
public final class OnnxImport {

    private OnnxImport() {}

    /**
     * Imports an ONNX file.
     *
     * @param onnx the graph
     * @param tokenizer its {@code tokenizer.json}, or null for none
     * @throws CheckpointException when the file is not a BERT export or a weight cannot be named
     */
    public static ImportedModel read(Path onnx, Path tokenizer) {
        byte[] tokenizerJson = null;
        if (tokenizer != null) {
            try {
                tokenizerJson = Files.readAllBytes(tokenizer);
            } catch (IOException e) {
                throw new CheckpointException(tokenizer, null, "cannot read tokenizer: " + e.getMessage(), e);
            }
        }
        return convert(OnnxReader.read(onnx), tokenizerJson, onnx.toString());
    }

    /**
     * Imports a model shipped on the class path (see {@link EmbeddedModel}).
     *
     * @param id e.g. {@code all-minilm-l6-v2}
     * @throws CheckpointException naming the Maven artifact when its jar is not on the class path
     */
    public static ImportedModel fromClasspath(String id) {
        EmbeddedModel model = EmbeddedModel.byId(id);
        String location = "classpath:" + model.onnxResource() + " (" + model.mavenCoordinates() + ")";
        byte[] tokenizer;
        try (InputStream tok = open(model, model.tokenizerResource())) {
            tokenizer = tok.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model.tokenizerResource() + ": " + e.getMessage(), e);
        }
        try (InputStream in = open(model, model.onnxResource())) {
            return convert(OnnxReader.read(in, location), tokenizer, location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(EmbeddedModel model, String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
        if (in == null) {
            in = OnnxImport.class.getClassLoader().getResourceAsStream(resource);
        }
        if (in == null) {
            throw new CheckpointException("classpath:" + resource, null, "not found; add the Maven dependency "
                    + model.mavenCoordinates() + " to use " + model.id());
        }
        return in;
    }

    /** Converts a parsed graph: names the weights, infers and validates the config, checks completeness. */
    static ImportedModel convert(OnnxGraph graph, byte[] tokenizerJson, String source) {
        InMemoryTensors tensors = WeightNameRecovery.recover(graph);
        JsonObject config = BertGraphConfig.infer(graph, tensors);
        BertConfig parsed = BertConfig.parse(graph.location() + " (inferred config)", config);
        tensors.requireAll(BertModel.requiredTensorNames(parsed, ""));
        return new ImportedModel(tensors, config, tokenizerJson, source);
    }
}
