package dev.balora.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, validated when opened and memory-mapped tensor by tensor (no 2 GiB file limit).
 *
 * <p>Every structural problem (truncation, bad header, out-of-range or overlapping offsets, byte range that
 * disagrees with shape and dtype, unknown dtype) is reported as a {@link CheckpointException} naming the file
 * and the tensor, before any tensor reaches the engine.
 */
public final class SafetensorsFile implements TensorSource {
    /** Headers above this size are refused as corrupt (the format's own readers use 100 MB). */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @param path the file
     * @return the open file; close it to release the mapping
     * @throws CheckpointException when the file is missing or malformed
     */
    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(path, null, "cannot open: " + e, e);
        }
        try {
            return parse(path, channel);
        } catch (RuntimeException | IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(path, null, "cannot read: " + e, e);
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointException(path, null, "truncated: " + size
                    + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointException(path, null, "header length " + headerLen + " is not plausible");
        }
        if (8 + headerLen > size) {
            throw new CheckpointException(path, null, "truncated: header length " + headerLen
                    + " reaches beyond the end of the file (" + size + " bytes)");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(channel, headerBuf, 8);
        String headerText = new String(headerBuf.array(), StandardCharsets.UTF_8);
        JsonObject header;
        try {
            header = JsonParser.parseString(headerText).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new CheckpointException(path, null, "header is not a JSON object: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLen;
        long dataSize = size - dataStart;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            String name = e.getKey();
            if ("__metadata__".equals(name)) {
                if (e.getValue().isJsonObject()) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                        metadata.put(m.getKey(), m.getValue().isJsonPrimitive()
                                ? m.getValue().getAsString() : m.getValue().toString());
                    }
                }
                continue;
            }
            tensors.put(name, parseEntry(path, name, e.getValue(), dataSize));
        }
        checkOverlaps(path, tensors.values());
        return new SafetensorsFile(path, channel, dataStart, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo parseEntry(Path path, String name, JsonElement value, long dataSize) {
        if (!value.isJsonObject()) {
            throw new CheckpointException(path, name, "header entry is not an object");
        }
        JsonObject o = value.getAsJsonObject();
        if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) {
            throw new CheckpointException(path, name, "header entry lacks dtype, shape or data_offsets");
        }
        String dtypeText = o.get("dtype").getAsString();
        DType dtype = DType.parse(dtypeText);
        if (dtype == null) {
            throw new CheckpointException(path, name, "unsupported dtype " + dtypeText
                    + " (balora reads F32, F16 and BF16)");
        }
        JsonArray shapeJson = o.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsLong();
            if (shape[i] < 0) {
                throw new CheckpointException(path, name, "negative dimension in shape " + shapeJson);
            }
        }
        JsonArray offsets = o.getAsJsonArray("data_offsets");
        if (offsets.size() != 2) {
            throw new CheckpointException(path, name, "data_offsets must hold two numbers, got " + offsets);
        }
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new CheckpointException(path, name, "data_offsets [" + begin + ", " + end
                    + "] are out of range: the data section holds " + dataSize + " bytes");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(info.elementCount(), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(path, name, "shape " + info.shapeText() + " is too large");
        }
        if (end - begin != expected) {
            throw new CheckpointException(path, name, "byte range holds " + (end - begin) + " bytes but shape "
                    + info.shapeText() + " of " + dtype + " needs " + expected);
        }
        return info;
    }

    private static void checkOverlaps(Path path, java.util.Collection<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end() && cur.end() > cur.begin()) {
                throw new CheckpointException(path, cur.name(), "data overlaps tensor '" + prev.name()
                        + "' (bytes " + cur.begin() + ".." + prev.end() + ")");
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} entries. */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String location() {
        return path.toString();
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(path, name, "no such tensor in this file");
        }
        return info;
    }

    private ByteBuffer map(TensorInfo info) {
        long length = info.end() - info.begin();
        if (length > Integer.MAX_VALUE) {
            throw new CheckpointException(path, info.name(), "tensor of " + length
                    + " bytes exceeds the 2 GiB a single tensor may have here");
        }
        try {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), length);
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException(path, info.name(), "cannot map data: " + e, e);
        }
    }

    @Override
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        ByteBuffer bytes = map(info);
        int n = Math.toIntExact(info.elementCount());
        float[] out = new float[n];
        switch (info.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F16 -> {
                ShortBuffer s = bytes.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = DType.f16ToFloat(s.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer s = bytes.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = DType.bf16ToFloat(s.get(i));
                }
            }
        }
        return out;
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        ByteBuffer data;
        if (info.dtype() == DType.F32) {
            data = map(info);
        } else {
            // F16 and BF16 are widened in Java; BF16 must never reach the engine.
            data = ByteBuffer.allocateDirect(Math.toIntExact(info.elementCount() * 4)).order(ByteOrder.nativeOrder());
            FloatBuffer widened = data.asFloatBuffer();
            widened.put(readFloats(name));
        }
        return engineCopy(data, shape, manager);
    }

    /**
     * The engine wraps a direct buffer without copying it (and a read-only mapping would then crash the first
     * in-place update): clone it into engine-owned memory and drop the wrapper.
     */
    private static NDArray engineCopy(ByteBuffer data, Shape shape, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray view = scratch.create(data, shape, DataType.FLOAT32);
            NDArray owned = view.duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new CheckpointException(path, null, "cannot close: " + e, e);
        }
    }
}
