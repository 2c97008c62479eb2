package dev.balora.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One safetensors file, validated when opened and memory-mapped tensor by tensor (no 2 GiB file limit).
 *
 * <p>Every structural problem (truncation, bad header, out-of-range or overlapping offsets, byte range that
 * disagrees with shape and dtype, unknown dtype, a name given twice) is reported as a {@link CheckpointException}
 * naming the file and the tensor, before any tensor reaches the engine. Tensors stored in a safetensors dtype
 * balora does not widen (integers, F64, FP8) are validated too, then set aside: they are not among
 * {@link #names()}, and asking for one explains why ({@link #skipped()}).
 */
public final class SafetensorsFile implements TensorSource {
    /** The system property that lets NaN and infinite values load ({@link #nonFiniteAllowed()}). */
    public static final String ALLOW_NON_FINITE = "balora.allowNonFiniteWeights";

    private static final Logger LOG = LoggerFactory.getLogger(SafetensorsFile.class);

    /** The largest FP32 tensor one engine array is created from here (a direct buffer's limit). */
    private static final long MAX_FP32_BYTES = Integer.MAX_VALUE;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> skipped;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.dataStart = header.dataStart;
        this.tensors = header.tensors;
        this.skipped = header.skipped;
        this.metadata = header.metadata;
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
        SafetensorsHeader header = SafetensorsHeader.read(path, channel);
        if (!header.skipped.isEmpty()) {
            LOG.info("{}: {} tensor(s) in dtypes balora does not read are set aside: {}", path,
                    header.skipped.size(), header.skipped);
        }
        return new SafetensorsFile(path, channel, header);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} entries. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Tensors the file holds in a dtype balora does not read (name to dtype, e.g. {@code position_ids -> I64});
     * they are not among {@link #names()}.
     */
    public Map<String, String> skipped() {
        return skipped;
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
            String dtype = skipped.get(name);
            if (dtype != null) {
                throw new CheckpointException(path, name, "stored as " + dtype
                        + ", which balora does not read (it reads F32, F16 and BF16)");
            }
            throw new CheckpointException(path, name, "no such tensor in this file");
        }
        return info;
    }

    @Override
    public void requireAll(Collection<String> required) {
        List<String> unreadable = new ArrayList<>();
        for (String name : required) {
            if (skipped.containsKey(name)) {
                unreadable.add(name + " (" + skipped.get(name) + ")");
            }
        }
        if (!unreadable.isEmpty()) {
            throw new CheckpointException(path, null, unreadable.size()
                    + " tensor(s) the model needs are stored in a dtype balora does not read: " + unreadable);
        }
        TensorSource.super.requireAll(required);
    }

    private ByteBuffer map(TensorInfo info) {
        long length = info.end() - info.begin();
        if (length > Integer.MAX_VALUE) {
            throw new CheckpointException(path, info.name(), "tensor of " + length
                    + " bytes exceeds the 2 GiB a single tensor may have here");
        }
        if (!channel.isOpen()) {
            throw new CheckpointException(path, info.name(), "cannot read: the file has been closed");
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
        float[] out = new float[Math.toIntExact(info.elementCount())]; // map() bounds the bytes, hence the count
        if (info.dtype() == DType.F32) {
            bytes.asFloatBuffer().get(out);
        } else {
            widen(info, bytes.asShortBuffer(), FloatBuffer.wrap(out));
        }
        requireFinite(info, FloatBuffer.wrap(out));
        return out;
    }

    /**
     * Whether NaN and infinite values may be loaded: {@code -D}{@value #ALLOW_NON_FINITE}{@code =true} or the
     * environment variable {@code BALORA_ALLOW_NON_FINITE=true}. Off by default: one NaN weight makes every output
     * NaN, and a training run would start from garbage without a word.
     */
    public static boolean nonFiniteAllowed() {
        return Boolean.getBoolean(ALLOW_NON_FINITE) || "true".equalsIgnoreCase(System.getenv("BALORA_ALLOW_NON_FINITE"));
    }

    /**
     * Refuses a tensor holding NaN or infinite values (one pass over the values in Java, next to the copy the
     * engine makes anyway), unless {@link #nonFiniteAllowed()}.
     */
    private void requireFinite(TensorInfo info, FloatBuffer values) {
        if (nonFiniteAllowed()) {
            return;
        }
        int n = values.remaining();
        int first = -1;
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(values.get(i))) {
                count++;
                first = first < 0 ? i : first;
            }
        }
        if (count > 0) {
            throw new CheckpointException(path, info.name(), count + " of " + n + " values are not finite (first at "
                    + "flat index " + first + ": " + values.get(first) + "); set -D" + ALLOW_NON_FINITE
                    + "=true or BALORA_ALLOW_NON_FINITE=true to load them anyway");
        }
    }

    private static void widen(TensorInfo info, ShortBuffer in, FloatBuffer out) {
        int n = in.remaining();
        switch (info.dtype()) {
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out.put(i, DType.f16ToFloat(in.get(i)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out.put(i, DType.bf16ToFloat(in.get(i)));
                }
            }
            case F32 -> throw new IllegalStateException("F32 needs no widening: " + info);
        }
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        long fp32Bytes = info.elementCount() * 4;
        if (fp32Bytes > MAX_FP32_BYTES) {
            throw new CheckpointException(path, name, "shape " + info.shapeText() + " widened to FP32 takes "
                    + fp32Bytes + " bytes, more than the 2 GiB one array may be created from");
        }
        ByteBuffer data;
        if (info.dtype() == DType.F32) {
            data = map(info);
        } else {
            // F16 and BF16 are widened in Java (BF16 must never reach the engine), straight into the buffer the
            // engine copies from: no heap array of the whole tensor.
            data = ByteBuffer.allocateDirect((int) fp32Bytes).order(ByteOrder.nativeOrder());
            widen(info, map(info).asShortBuffer(), data.asFloatBuffer());
        }
        requireFinite(info, data.asFloatBuffer());
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

    /** Whether the header names this tensor, readable or {@link #skipped() set aside}. */
    boolean holds(String name) {
        return tensors.containsKey(name) || skipped.containsKey(name);
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
