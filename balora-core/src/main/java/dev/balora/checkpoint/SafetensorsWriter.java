package dev.balora.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes tensors as one safetensors file (F32, F16 or BF16), atomically: a temporary file renamed into place. The
 * half types are rounded from float in Java (round to nearest, ties to even); no half-precision array is ever made
 * in the engine.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    /**
     * Writes every tensor of {@code tensors} to {@code file} with {@code __metadata__ {"format":"pt"}}.
     *
     * @param file the target file; replaced atomically
     * @param tensors the tensors, in the order they are written
     * @param dtype {@link DType#F32}, {@link DType#F16} or {@link DType#BF16}
     * @param metadata extra {@code __metadata__} entries (may be empty)
     * @throws CheckpointException naming the tensor when a finite value is beyond the range of F16 or BF16
     */
    public static void write(Path file, TensorSource tensors, DType dtype, Map<String, String> metadata) {
        if (tensors.names().contains("__metadata__")) {
            throw new CheckpointException(file, "__metadata__", "a tensor may not be named like the header's "
                    + "metadata entry");
        }
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        metadata.forEach((k, v) -> {
            if (!"format".equals(k)) { // PyTorch loaders rely on "pt": the caller cannot change it
                meta.addProperty(k, v);
            }
        });
        header.add("__metadata__", meta);
        long offset = 0;
        for (String name : tensors.names()) {
            TensorInfo info = tensors.info(name);
            long bytes = info.elementCount() * dtype.byteSize();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", dtype.name());
            JsonArray shape = new JsonArray();
            for (long d : info.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            entry.add("data_offsets", offsets);
            header.add(name, entry);
            offset += bytes;
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces to a multiple of 8 so the data section is aligned.
        int padded = (headerBytes.length + 7) / 8 * 8;
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            for (int i = headerBytes.length; i < padded; i++) {
                out.write(' ');
            }
            for (String name : tensors.names()) {
                float[] values = tensors.readFloats(name);
                long declared = tensors.info(name).elementCount();
                if (values.length != declared) {
                    // The header is already written: a short tensor would shift every later one.
                    throw new CheckpointException(tensors.location(), name, "delivered " + values.length
                            + " values for a shape of " + declared + " elements");
                }
                writeData(out, values, dtype, tensors.location(), name);
            }
        });
    }

    private static void writeData(OutputStream out, float[] values, DType dtype, String location, String name)
            throws IOException {
        int chunk = 1 << 16;
        ByteBuffer buf = ByteBuffer.allocate(chunk * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += chunk) {
            buf.clear();
            int end = Math.min(values.length, start + chunk);
            for (int i = start; i < end; i++) {
                if (dtype == DType.F32) {
                    buf.putFloat(values[i]);
                } else if (dtype == DType.BF16) {
                    short h = floatToBf16(values[i]);
                    if ((h & 0x7fff) == 0x7f80 && !Float.isInfinite(values[i])) {
                        throw new CheckpointException(location, name, "value " + values[i] + " at index " + i
                                + " is beyond BF16's range (3.39e38); write this tensor as F32");
                    }
                    buf.putShort(h);
                } else {
                    short h = floatToF16(values[i]);
                    if ((h & 0x7fff) == 0x7c00 && !Float.isInfinite(values[i])) {
                        throw new CheckpointException(location, name, "value " + values[i] + " at index " + i
                                + " is beyond F16's range (65504); write this tensor as F32");
                    }
                    buf.putShort(h);
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    /**
     * Rounds a float to bfloat16 (round to nearest even), its upper 16 bits after rounding: subnormals round like
     * normals (same exponent range), values past the largest bfloat16 become infinity, NaN stays a quiet NaN.
     */
    static short floatToBf16(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7fffffff) > 0x7f800000) {
            return (short) ((f >>> 16) | 0x0040);
        }
        int lsb = (f >>> 16) & 1;
        return (short) ((f + 0x7fff + lsb) >>> 16);
    }

    /** Rounds a float to IEEE half precision (round to nearest even), saturating to infinity. */
    static short floatToF16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xff;
        int mant = f & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** Convenience: writes F32 with only the {@code format} metadata. */
    public static void write(Path file, TensorSource tensors) {
        write(file, tensors, DType.F32, Map.of());
    }

    /** Ensures the parent directory exists. */
    static void ensureParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
