package dev.balora.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model's graph that an import needs: nodes, initializers, graph inputs and outputs, plus
 * lookups from a value to the node that produces it and the nodes that consume it.
 */
public final class OnnxGraph {
    private final String location;
    private final String producer;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    OnnxGraph(String location, String producer, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers,
            List<String> inputs, List<String> outputs) {
        this.location = location;
        this.producer = producer;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (OnnxNode node : nodes) {
            for (String out : node.outputs()) {
                producers.put(out, node);
            }
            for (String in : node.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
        }
    }

    /** Where the graph was read from, for messages. */
    public String location() {
        return location;
    }

    /** The model's producer name (e.g. {@code pytorch}), or "". */
    public String producer() {
        return producer;
    }

    /** The nodes in graph order. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** The initializers by name, in file order. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /** The names of the graph inputs (initializers excluded where the exporter listed them too). */
    public List<String> inputs() {
        return inputs;
    }

    /** The names of the graph outputs. */
    public List<String> outputs() {
        return outputs;
    }

    /** The node producing a value, or null for graph inputs and initializers. */
    public OnnxNode producer(String value) {
        return producers.get(value);
    }

    /** The nodes consuming a value (empty when none). */
    public List<OnnxNode> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** Count of nodes with the operator. */
    public long count(String opType) {
        return nodes.stream().filter(n -> n.opType().equals(opType)).count();
    }

    /**
     * The constant tensor behind a value: an initializer or the {@code value} of the Constant node producing it.
     *
     * @return the tensor, or null when the value is computed
     */
    public OnnxTensor constant(String value) {
        if (value == null) {
            return null;
        }
        OnnxTensor init = initializers.get(value);
        if (init != null) {
            return init;
        }
        OnnxNode node = producers.get(value);
        if (node != null && node.opType().equals("Constant")) {
            return node.tensorAttributes().get("value");
        }
        return null;
    }
}
