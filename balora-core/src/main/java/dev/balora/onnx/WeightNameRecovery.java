package dev.balora.onnx;

import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every weight of a PyTorch-exported encoder graph its Hugging Face name and layout.
 *
 * <p>The exporter names biases, LayerNorms and embeddings after their modules but emits each Linear weight as an
 * anonymous {@code onnx::MatMul_NNN} initializer, transposed to [in, out]. The MatMul it feeds is followed by an
 * Add with the named bias {@code M.bias}, so the weight is {@code M.weight}, transposed back to [out, in].
 */
final class WeightNameRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(WeightNameRecovery.class);

    private WeightNameRecovery() {}

    /**
     * Builds the Hugging Face tensors of a graph.
     *
     * @throws CheckpointException listing every MatMul weight whose name cannot be recovered
     */
    static InMemoryTensors recover(OnnxGraph graph) {
        InMemoryTensors out = new InMemoryTensors(graph.location());
        Map<String, OnnxTensor> inits = graph.initializers();
        Map<String, String> recovered = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (OnnxNode node : graph.nodes()) {
            if (!node.opType().equals("MatMul")) {
                continue;
            }
            OnnxTensor weight = inits.get(node.input(1));
            if (weight == null) {
                continue; // activation x activation (attention scores): no weight
            }
            String problem = null;
            String name = null;
            if (!weight.isFloating() || weight.dims().length != 2) {
                problem = "is not a 2-D floating-point matrix " + Arrays.toString(weight.dims());
            } else {
                OnnxTensor bias = biasAfter(graph, node.outputs().get(0));
                if (bias == null) {
                    problem = "feeds MatMul '" + node.name() + "' whose output goes into no Add with a named bias";
                } else if (!bias.name().endsWith(".bias")) {
                    problem = "feeds MatMul '" + node.name() + "' whose Add uses '" + bias.name()
                            + "', not a '<module>.bias'";
                } else if (bias.elementCount() != weight.dims()[1]) {
                    problem = "has shape " + Arrays.toString(weight.dims()) + " but its bias '" + bias.name()
                            + "' has " + bias.elementCount() + " elements";
                } else {
                    name = bias.name().substring(0, bias.name().length() - ".bias".length()) + ".weight";
                }
            }
            if (problem != null) {
                problems.add("'" + weight.name() + "' " + problem);
                continue;
            }
            String previous = recovered.put(weight.name(), name);
            if (previous != null && !previous.equals(name)) {
                problems.add("'" + weight.name() + "' is used as both " + previous + " and " + name);
            }
        }
        Map<String, String> byName = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : recovered.entrySet()) {
            String other = byName.put(e.getValue(), e.getKey());
            if (other != null) {
                problems.add("'" + other + "' and '" + e.getKey() + "' both map to " + e.getValue());
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(graph.location(), null, "not a BERT export balora can name: "
                    + problems.size() + " MatMul weight(s) have no recoverable Hugging Face name: " + problems);
        }
        for (OnnxTensor t : inits.values()) {
            String hfName = recovered.get(t.name());
            if (hfName != null) {
                out.put(hfName, new long[] {t.dims()[1], t.dims()[0]}, transpose(t.floats(), t.dims()));
            } else if (!t.isFloating()) {
                LOG.debug("{}: skipping integer buffer {}", graph.location(), t.name());
            } else if (t.name().startsWith("onnx::") || t.name().isEmpty()) {
                LOG.warn("{}: skipping anonymous initializer {} that is no Linear weight", graph.location(), t);
            } else {
                out.put(t.name(), t.dims(), t.floats());
            }
        }
        return out;
    }

    /** The named bias added to a MatMul's output, or null. */
    private static OnnxTensor biasAfter(OnnxGraph graph, String matmulOutput) {
        for (OnnxNode consumer : graph.consumers(matmulOutput)) {
            if (!consumer.opType().equals("Add")) {
                continue;
            }
            for (String in : consumer.inputs()) {
                OnnxTensor t = graph.initializers().get(in);
                if (t != null && !in.equals(matmulOutput)) {
                    return t;
                }
            }
        }
        return null;
    }

    /** [rows, cols] row-major to [cols, rows] row-major. */
    static float[] transpose(float[] a, long[] dims) {
        int rows = (int) dims[0];
        int cols = (int) dims[1];
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[base + c];
            }
        }
        return t;
    }
}
