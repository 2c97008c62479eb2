package dev.balora.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Writes tiny ONNX ModelProto bytes by hand (field numbers from onnx.proto) for import tests. */
final class TinyOnnx {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();

    /** Adds a node. */
    TinyOnnx node(String op, List<String> inputs, List<String> outputs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (String in : inputs) {
            out.writeString(1, in);
        }
        for (String o : outputs) {
            out.writeString(2, o);
        }
        out.writeString(3, op + "_" + nodes.size());
        out.writeString(4, op);
        out.flush();
        nodes.add(bytes.toByteArray());
        return this;
    }

    /** Adds an FP32 initializer, as raw little-endian bytes or as packed float_data. */
    TinyOnnx floats(String name, long[] dims, float[] values, boolean raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (long d : dims) {
            out.writeInt64(1, d); // unpacked on purpose: readers must accept both encodings
        }
        out.writeInt32(2, 1);
        out.writeString(8, name);
        if (raw) {
            ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                buf.putFloat(v);
            }
            out.writeByteArray(9, buf.array());
        } else {
            out.writeTag(4, 2);
            out.writeUInt32NoTag(values.length * 4);
            for (float v : values) {
                out.writeFloatNoTag(v);
            }
        }
        out.flush();
        initializers.add(bytes.toByteArray());
        return this;
    }

    /** The serialized model. */
    byte[] build() throws IOException {
        ByteArrayOutputStream graphBytes = new ByteArrayOutputStream();
        CodedOutputStream g = CodedOutputStream.newInstance(graphBytes);
        for (byte[] n : nodes) {
            g.writeByteArray(1, n);
        }
        g.writeString(2, "tiny");
        for (byte[] t : initializers) {
            g.writeByteArray(5, t);
        }
        g.flush();
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(model);
        m.writeInt64(1, 8);
        m.writeString(2, "pytorch");
        m.writeByteArray(7, graphBytes.toByteArray());
        m.flush();
        return model.toByteArray();
    }
}
