package dev.balora.onnx;

import java.util.List;
import java.util.Map;

/**
 * One node of an ONNX graph.
 *
 * @param name the node name (may be empty)
 * @param opType the operator, e.g. {@code MatMul}
 * @param inputs the names of its input values, in order
 * @param outputs the names of its output values, in order
 * @param tensorAttributes its tensor-valued attributes by name (a Constant's {@code value})
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
        Map<String, OnnxTensor> tensorAttributes) {

    /** The input at {@code index}, or null when the node has fewer inputs. */
    public String input(int index) {
        return index < inputs.size() ? inputs.get(index) : null;
    }
}
