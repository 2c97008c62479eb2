package dev.balora.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.DType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX {@code ModelProto} with protobuf's wire-format reader, keeping only what an import needs.
 *
 * <p>Field numbers follow onnx.proto: ModelProto producer_name=2, graph=7; GraphProto node=1, initializer=5,
 * input=11, output=12; NodeProto input=1, output=2, name=3, op_type=4, attribute=5; AttributeProto name=1, t=5;
 * TensorProto dims=1, data_type=2, float_data=4, int32_data=5, int64_data=7, name=8, raw_data=9,
 * double_data=10, data_location=14; ValueInfoProto name=1. Generated classes are not needed for so few fields.
 */
public final class OnnxReader {

    private OnnxReader() {}

    /**
     * Reads an ONNX file.
     *
     * @throws CheckpointException when the file is missing or not a readable ONNX model
     */
    public static OnnxGraph read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, null, "ONNX file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new CheckpointException(file, null, "cannot read ONNX file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an ONNX model from a stream (not closed here).
     *
     * @param stream the serialized ModelProto
     * @param location where it came from, for messages
     * @throws CheckpointException when the bytes are not a readable ONNX model
     */
    public static OnnxGraph read(InputStream stream, String location) {
        CodedInputStream in = CodedInputStream.newInstance(new BufferedInputStream(stream, 1 << 16), 1 << 16);
        in.setSizeLimit(Integer.MAX_VALUE);
        try {
            String producer = "";
            OnnxGraph graph = null;
            int tag;
            while ((tag = in.readTag()) != 0) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 2 && isLengthDelimited(tag)) {
                    producer = in.readStringRequireUtf8();
                } else if (field == 7 && isLengthDelimited(tag)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    graph = readGraph(in, location, producer);
                    in.popLimit(limit);
                } else {
                    in.skipField(tag);
                }
            }
            if (graph == null) {
                throw new CheckpointException(location, null, "not an ONNX model: no graph (ModelProto field 7)");
            }
            return graph;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(location, null, "not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    private static boolean isLengthDelimited(int tag) {
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private static OnnxGraph readGraph(CodedInputStream in, String location, String producer) throws IOException {
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (!isLengthDelimited(tag)) {
                in.skipField(tag);
                continue;
            }
            switch (field) {
                case 1 -> nodes.add(readMessage(in, () -> readNode(in, location)));
                case 5 -> {
                    OnnxTensor t = readMessage(in, () -> readTensor(in, location));
                    initializers.put(t.name(), t);
                }
                case 11 -> inputs.add(readMessage(in, () -> readValueInfoName(in)));
                case 12 -> outputs.add(readMessage(in, () -> readValueInfoName(in)));
                default -> in.skipField(tag);
            }
        }
        inputs.removeIf(initializers::containsKey);
        return new OnnxGraph(location, producer, nodes, initializers, inputs, outputs);
    }

    private interface Body<T> {
        T read() throws IOException;
    }

    private static <T> T readMessage(CodedInputStream in, Body<T> body) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        T value = body.read();
        in.popLimit(limit);
        return value;
    }

    private static String readValueInfoName(CodedInputStream in) throws IOException {
        String name = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1 && isLengthDelimited(tag)) {
                name = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    private static OnnxNode readNode(CodedInputStream in, String location) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (!isLengthDelimited(tag)) {
                in.skipField(tag);
                continue;
            }
            switch (field) {
                case 1 -> inputs.add(in.readStringRequireUtf8());
                case 2 -> outputs.add(in.readStringRequireUtf8());
                case 3 -> name = in.readStringRequireUtf8();
                case 4 -> op = in.readStringRequireUtf8();
                case 5 -> readMessage(in, () -> {
                    readAttribute(in, location, tensors);
                    return null;
                });
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(name, op, inputs, outputs, tensors);
    }

    private static void readAttribute(CodedInputStream in, String location, Map<String, OnnxTensor> tensors)
            throws IOException {
        String name = "";
        OnnxTensor tensor = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1 && isLengthDelimited(tag)) {
                name = in.readStringRequireUtf8();
            } else if (field == 5 && isLengthDelimited(tag)) {
                tensor = readMessage(in, () -> readTensor(in, location));
            } else {
                in.skipField(tag);
            }
        }
        if (tensor != null) {
            tensors.put(name, tensor);
        }
    }

    private static OnnxTensor readTensor(CodedInputStream in, String location) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        byte[] raw = null;
        FloatList floatData = new FloatList();
        LongList longData = new LongList();
        boolean external = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = isLengthDelimited(tag);
            switch (field) {
                case 1 -> readLongs(in, packed, dims::add);
                case 2 -> dataType = in.readInt32();
                case 4 -> {
                    if (packed) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            floatData.add(in.readFloat());
                        }
                        in.popLimit(limit);
                    } else {
                        floatData.add(in.readFloat());
                    }
                }
                case 5, 7 -> readLongs(in, packed, longData::add);
                case 8 -> name = in.readStringRequireUtf8();
                case 9 -> raw = in.readByteArray();
                case 10 -> {
                    if (packed) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            floatData.add((float) in.readDouble());
                        }
                        in.popLimit(limit);
                    } else {
                        floatData.add((float) in.readDouble());
                    }
                }
                case 14 -> external = in.readInt32() == 1;
                default -> in.skipField(tag);
            }
        }
        if (external) {
            throw new CheckpointException(location, name, "stores its data in an external file, which balora "
                    + "does not read; re-export the model with the weights inside the .onnx file");
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return decode(location, name, shape, dataType, raw, floatData, longData);
    }

    private interface LongSink {
        void add(long v);
    }

    private static void readLongs(CodedInputStream in, boolean packed, LongSink sink) throws IOException {
        if (packed) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                sink.add(in.readInt64());
            }
            in.popLimit(limit);
        } else {
            sink.add(in.readInt64());
        }
    }

    private static OnnxTensor decode(String location, String name, long[] shape, int dataType, byte[] raw,
            FloatList floatData, LongList longData) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        switch (dataType) {
            case OnnxTensor.FLOAT, OnnxTensor.FLOAT16, OnnxTensor.BFLOAT16, OnnxTensor.DOUBLE -> {
                float[] values = raw != null ? rawFloats(location, name, raw, dataType, count) : floatData.toArray();
                if (dataType == OnnxTensor.FLOAT16 && raw == null) {
                    // FLOAT16 in int32_data holds the 16 bits per element.
                    values = new float[longData.size];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = DType.f16ToFloat((short) longData.values[i]);
                    }
                }
                checkCount(location, name, shape, count, values.length);
                return new OnnxTensor(name, shape, dataType, values, null);
            }
            case OnnxTensor.INT64, OnnxTensor.INT32, 2, 3, 4, 5, 9, 12, 13 -> {
                long[] values = raw != null ? rawLongs(location, name, raw, dataType, count) : longData.toArray();
                checkCount(location, name, shape, count, values.length);
                return new OnnxTensor(name, shape, dataType, null, values);
            }
            default -> throw new CheckpointException(location, name, "has ONNX data type " + dataType
                    + ", which balora does not import");
        }
    }

    private static void checkCount(String location, String name, long[] shape, long expected, int actual) {
        if (expected != actual) {
            throw new CheckpointException(location, name, "shape " + java.util.Arrays.toString(shape) + " holds "
                    + expected + " elements but the data holds " + actual);
        }
    }

    private static float[] rawFloats(String location, String name, byte[] raw, int dataType, long count) {
        int size = dataType == OnnxTensor.DOUBLE ? 8 : dataType == OnnxTensor.FLOAT ? 4 : 2;
        if ((long) raw.length != count * size) {
            throw new CheckpointException(location, name, "raw_data has " + raw.length + " bytes; the shape and "
                    + "type need " + count * size);
        }
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dataType) {
                case OnnxTensor.FLOAT -> buf.getFloat();
                case OnnxTensor.DOUBLE -> (float) buf.getDouble();
                case OnnxTensor.FLOAT16 -> DType.f16ToFloat(buf.getShort());
                default -> DType.bf16ToFloat(buf.getShort());
            };
        }
        return out;
    }

    private static long[] rawLongs(String location, String name, byte[] raw, int dataType, long count) {
        int size = switch (dataType) {
            case OnnxTensor.INT64, 13 -> 8;
            case OnnxTensor.INT32, 12 -> 4;
            case 4, 5 -> 2;
            default -> 1;
        };
        if ((long) raw.length != count * size) {
            throw new CheckpointException(location, name, "raw_data has " + raw.length + " bytes; the shape and "
                    + "type need " + count * size);
        }
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (size) {
                case 8 -> buf.getLong();
                case 4 -> buf.getInt();
                case 2 -> buf.getShort();
                default -> buf.get();
            };
        }
        return out;
    }

    /** A growable float array: boxing 20 M floats into a list would cost gigabytes. */
    private static final class FloatList {
        float[] values = new float[16];
        int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /** A growable long array. */
    private static final class LongList {
        long[] values = new long[16];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
