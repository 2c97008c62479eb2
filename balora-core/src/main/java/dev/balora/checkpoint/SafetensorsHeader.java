package dev.balora.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parsed and validated header of one safetensors file.
 *
 * <p>Validation is complete before any byte of data is read: every tensor's byte range must lie inside the
 * data section, match shape × element size and overlap no other tensor. Tensors in a dtype of the format that
 * balora does not widen (integers, F64, FP8) are validated the same way but set aside as {@link #skipped}: a
 * checkpoint may carry such buffers (old BERT files store {@code position_ids} as I64) without the model
 * needing them. A dtype the format does not define at all makes the file unreadable.
 */
final class SafetensorsHeader {
    /** Headers above this size are refused as corrupt (the format's own readers use 100 MB). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** Element sizes of the safetensors dtypes balora validates but does not read. */
    private static final Map<String, Integer> OTHER_DTYPES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E8M0", 1), Map.entry("I16", 2), Map.entry("U16", 2),
            Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F64", 8), Map.entry("I64", 8),
            Map.entry("U64", 8), Map.entry("C64", 8));

    /** A byte range of one tensor, relative to the data section. */
    private record Range(String name, long begin, long end) {}

    final long dataStart;
    final Map<String, TensorInfo> tensors;
    final Map<String, String> skipped;
    final Map<String, String> metadata;

    private SafetensorsHeader(long dataStart, Map<String, TensorInfo> tensors, Map<String, String> skipped,
            Map<String, String> metadata) {
        this.dataStart = dataStart;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.skipped = Collections.unmodifiableMap(skipped);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    static SafetensorsHeader read(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointException(path, null, "truncated: the file has " + size
                    + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
            // An unsigned 64-bit number in the file; a negative long here is a huge one there.
            throw new CheckpointException(path, null, "header length " + Long.toUnsignedString(headerLen)
                    + " is not plausible (not a safetensors file, or a corrupt one)");
        }
        if (8 + headerLen > size) {
            throw new CheckpointException(path, null, "truncated: the header length " + headerLen
                    + " reaches beyond the end of the file (" + size + " bytes)");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(channel, headerBuf, 8);
        long dataStart = 8 + headerLen;
        long dataSize = size - dataStart;

        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Range> ranges = new ArrayList<>();
        JsonReader reader = new JsonReader(new StringReader(decode(path, headerBuf)));
        reader.setStrictness(Strictness.STRICT);
        try {
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                JsonElement value;
                try {
                    value = JsonText.read(reader, 1);
                } catch (IOException | IllegalStateException e) {
                    throw new CheckpointException(path, name, "header entry is not valid JSON: " + firstLine(e), e);
                }
                if ("__metadata__".equals(name)) {
                    readMetadata(path, value, metadata);
                    continue;
                }
                if (tensors.containsKey(name) || skipped.containsKey(name)) {
                    throw new CheckpointException(path, name, "the header names this tensor twice");
                }
                ranges.add(parseEntry(path, name, value, dataSize, tensors, skipped));
            }
            reader.endObject();
        } catch (IOException | IllegalStateException e) {
            // MalformedJsonException and EOFException are IOExceptions from gson: garbage, not a failing disk.
            throw new CheckpointException(path, null, "header is not a valid JSON object: " + firstLine(e), e);
        }
        boolean trailing;
        try {
            trailing = reader.peek() != JsonToken.END_DOCUMENT;
        } catch (IOException e) {
            trailing = true;
        }
        if (trailing) {
            throw new CheckpointException(path, null, "header has text after its JSON object");
        }
        checkOverlaps(path, ranges);
        return new SafetensorsHeader(dataStart, tensors, skipped, metadata);
    }

    private static String decode(Path path, ByteBuffer header) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(header.flip())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(path, null, "header is not UTF-8 text", e);
        }
    }

    private static void readMetadata(Path path, JsonElement value, Map<String, String> metadata) {
        if (!value.isJsonObject()) {
            throw new CheckpointException(path, null, "__metadata__ must be an object, got " + abbreviate(value));
        }
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            metadata.put(m.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
        }
    }

    private static Range parseEntry(Path path, String name, JsonElement value, long dataSize,
            Map<String, TensorInfo> tensors, Map<String, String> skipped) {
        if (!value.isJsonObject()) {
            throw new CheckpointException(path, name, "header entry is not an object: " + abbreviate(value));
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dtypeJson = o.get("dtype");
        if (dtypeJson == null || !dtypeJson.isJsonPrimitive() || !dtypeJson.getAsJsonPrimitive().isString()) {
            throw new CheckpointException(path, name, "header entry has no dtype string: " + abbreviate(value));
        }
        String dtypeText = dtypeJson.getAsString();
        DType dtype = DType.parse(dtypeText);
        Integer otherSize = OTHER_DTYPES.get(dtypeText.toUpperCase(Locale.ROOT));
        if (dtype == null && otherSize == null) {
            throw new CheckpointException(path, name, "unknown dtype \"" + dtypeText
                    + "\" (balora reads F32, F16 and BF16)");
        }
        long[] shape = longs(path, name, o, "shape", -1);
        long[] offsets = longs(path, name, o, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CheckpointException(path, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataSize) {
            throw new CheckpointException(path, name, "data_offsets [" + begin + ", " + end
                    + "] reach beyond the data section, which holds " + dataSize
                    + " bytes: the file is truncated or its header is corrupt");
        }
        int elementSize = dtype != null ? dtype.byteSize() : otherSize;
        String shapeText = Arrays.toString(shape);
        long expected;
        try {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            expected = Math.multiplyExact(n, elementSize);
        } catch (ArithmeticException e) {
            throw new CheckpointException(path, name, "shape " + shapeText + " is too large");
        }
        if (end - begin != expected) {
            throw new CheckpointException(path, name, "byte range [" + begin + ", " + end + ") holds "
                    + (end - begin) + " bytes but shape " + shapeText + " of " + dtypeText + " needs " + expected);
        }
        if (dtype != null) {
            tensors.put(name, new TensorInfo(name, dtype, shape, begin, end));
        } else {
            skipped.put(name, dtypeText);
        }
        return new Range(name, begin, end);
    }

    /** A JSON array of non-negative integers ({@code count} of them, or any number when negative). */
    private static long[] longs(Path path, String name, JsonObject o, String key, int count) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new CheckpointException(path, name, "header entry has no \"" + key + "\" array");
        }
        JsonArray a = e.getAsJsonArray();
        if (count >= 0 && a.size() != count) {
            throw new CheckpointException(path, name, "\"" + key + "\" must hold " + count + " numbers, got " + a);
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isNumber()) {
                throw new CheckpointException(path, name, "\"" + key + "\" must hold integers, got " + a);
            }
            BigInteger b;
            try {
                b = new BigInteger(v.getAsString());
            } catch (NumberFormatException ex) {
                throw new CheckpointException(path, name, "\"" + key + "\" must hold integers, got " + a);
            }
            if (b.signum() < 0 || b.bitLength() > 62) {
                throw new CheckpointException(path, name, "\"" + key + "\" holds " + b
                        + ", not a plausible size or offset");
            }
            out[i] = b.longValue();
        }
        return out;
    }

    private static void checkOverlaps(Path path, List<Range> ranges) {
        List<Range> sorted = new ArrayList<>();
        for (Range r : ranges) {
            if (r.end() > r.begin()) { // an empty tensor occupies no bytes and overlaps nothing
                sorted.add(r);
            }
        }
        sorted.sort(Comparator.comparingLong(Range::begin).thenComparingLong(Range::end));
        Range furthest = null; // the range reaching furthest so far: a long tensor may cover several later ones
        for (Range cur : sorted) {
            if (furthest != null && cur.begin() < furthest.end()) {
                throw new CheckpointException(path, cur.name(), "data [" + cur.begin() + ", " + cur.end()
                        + ") overlaps tensor '" + furthest.name() + "' [" + furthest.begin() + ", "
                        + furthest.end() + ")");
            }
            if (furthest == null || cur.end() > furthest.end()) {
                furthest = cur;
            }
        }
    }

    /** Gson appends a troubleshooting link on a second line; the first says what and where. */
    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String abbreviate(JsonElement e) {
        String s = e.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
