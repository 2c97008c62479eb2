package dev.balora.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxImportRecoversNames {
    private static final List<String> MODULES = List.of("attention.self.query", "attention.self.key",
            "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense");

    @Test
    void everyMiniLmMatMulWeightGetsItsHuggingFaceNameAndLayout() throws Exception {
        OnnxGraph graph;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx must be on the test class path");
            graph = OnnxReader.read(in, "all-minilm-l6-v2.onnx");
        }
        // The graph names each weight only through the bias of the Add after its MatMul.
        Map<String, OnnxTensor> anonymous = new HashMap<>();
        graph.initializers().forEach((name, t) -> {
            if (name.startsWith("onnx::MatMul")) {
                anonymous.put(name, t);
            }
        });
        assertEquals(36, anonymous.size());
        ImportedModel imported = OnnxImport.convert(graph, null, "test");
        InMemoryTensors tensors = imported.tensors();
        assertFalse(tensors.names().stream().anyMatch(n -> n.startsWith("onnx::")), "anonymous names left");
        for (int layer = 0; layer < 6; layer++) {
            for (String module : MODULES) {
                String name = "encoder.layer." + layer + "." + module + ".weight";
                assertTrue(tensors.contains(name), name);
                long out = tensors.info("encoder.layer." + layer + "." + module + ".bias").shape()[0];
                long in = module.equals("output.dense") ? 1536 : 384;
                assertArrayEquals(new long[] {out, in}, tensors.info(name).shape(), name);
            }
        }
        // Values are the exported matrix transposed: weight[o][i] == onnx[i][o], checked through the graph.
        OnnxNode queryMatMul = graph.nodes().stream()
                .filter(n -> n.opType().equals("MatMul") && graph.consumers(n.outputs().get(0)).stream()
                        .anyMatch(a -> a.inputs().contains("encoder.layer.3.attention.self.query.bias")))
                .findFirst().orElseThrow();
        OnnxTensor exported = graph.initializers().get(queryMatMul.input(1));
        float[] hf = tensors.readFloats("encoder.layer.3.attention.self.query.weight");
        for (int[] oi : new int[][] {{0, 0}, {5, 17}, {383, 2}, {100, 383}}) {
            assertEquals(exported.floats()[oi[1] * 384 + oi[0]], hf[oi[0] * 384 + oi[1]], 0f);
        }
        assertEquals(6, imported.config().get("num_hidden_layers").getAsInt());
        assertEquals(12, BertGraphConfig.heads(graph, 384), "heads from the Reshape constants");
        assertEquals(1e-12, imported.config().get("layer_norm_eps").getAsDouble(), 0);
        assertEquals("gelu", imported.config().get("hidden_act").getAsString());
        assertEquals(1536, imported.config().get("intermediate_size").getAsInt());
    }

    @Test
    void readsRawAndFloatDataAndTransposes() throws Exception {
        byte[] onnx = new TinyOnnx()
                .floats("onnx::MatMul_7", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}, false)
                .floats("encoder.layer.0.intermediate.dense.bias", new long[] {3}, new float[] {7, 8, 9}, true)
                .node("MatMul", List.of("x", "onnx::MatMul_7"), List.of("mm"))
                .node("Add", List.of("encoder.layer.0.intermediate.dense.bias", "mm"), List.of("y"))
                .build();
        OnnxGraph graph = OnnxReader.read(new ByteArrayInputStream(onnx), "tiny.onnx");
        InMemoryTensors t = WeightNameRecovery.recover(graph);
        assertArrayEquals(new long[] {3, 2}, t.info("encoder.layer.0.intermediate.dense.weight").shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.readFloats("encoder.layer.0.intermediate.dense.weight"));
        assertArrayEquals(new float[] {7, 8, 9}, t.readFloats("encoder.layer.0.intermediate.dense.bias"));
    }

    @Test
    void unnamableWeightsAreAllListed() throws Exception {
        byte[] onnx = new TinyOnnx()
                .floats("onnx::MatMul_1", new long[] {2, 2}, new float[] {1, 2, 3, 4}, true)
                .floats("onnx::MatMul_2", new long[] {2, 2}, new float[] {1, 2, 3, 4}, true)
                .floats("scale", new long[] {2}, new float[] {1, 1}, true)
                .node("MatMul", List.of("x", "onnx::MatMul_1"), List.of("a"))
                .node("Relu", List.of("a"), List.of("b"))
                .node("MatMul", List.of("b", "onnx::MatMul_2"), List.of("c"))
                .node("Add", List.of("c", "scale"), List.of("d"))
                .build();
        OnnxGraph graph = OnnxReader.read(new ByteArrayInputStream(onnx), "tiny.onnx");
        CheckpointException e = assertThrows(CheckpointException.class, () -> WeightNameRecovery.recover(graph));
        assertTrue(e.getMessage().contains("tiny.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("onnx::MatMul_1") && e.getMessage().contains("onnx::MatMul_2"),
                e.getMessage());
    }

    @Test
    void aGraphWithoutBertTensorsIsRejected() throws Exception {
        byte[] onnx = new TinyOnnx()
                .floats("onnx::MatMul_1", new long[] {2, 2}, new float[] {1, 2, 3, 4}, true)
                .floats("classifier.bias", new long[] {2}, new float[] {0, 0}, true)
                .node("MatMul", List.of("x", "onnx::MatMul_1"), List.of("a"))
                .node("Add", List.of("a", "classifier.bias"), List.of("b"))
                .build();
        OnnxGraph graph = OnnxReader.read(new ByteArrayInputStream(onnx), "tiny.onnx");
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxImport.convert(graph, null, "t"));
        assertTrue(e.getMessage().contains("embeddings.word_embeddings.weight"), e.getMessage());
    }

    @Test
    void notAnOnnxFileIsRejectedWithItsName() {
        byte[] garbage = "this is not protobuf at all \u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> OnnxReader.read(new ByteArrayInputStream(garbage), "garbage.onnx"));
        assertTrue(e.getMessage().startsWith("garbage.onnx"), e.getMessage());
    }
}
