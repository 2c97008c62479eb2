package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.balora.fixtures.SafetensorsFileBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every structural defect of a safetensors file is reported as a CheckpointException naming the file and, where
 * one tensor is at fault, that tensor: never a JVM abort, never a silently wrong tensor.
 */
class SafetensorsRejectsMalformedFiles {
    @TempDir
    Path dir;

    /** Two small F32 tensors, a (4 values) then b (2 values), laid out back to back. */
    private static SafetensorsFileBuilder twoTensors() {
        return new SafetensorsFileBuilder()
                .f32("a", new long[] {2, 2}, 1, 2, 3, 4)
                .f32("b", new long[] {2}, 5, 6);
    }

    private Path write(SafetensorsFileBuilder b) {
        return b.write(dir.resolve("model.safetensors"));
    }

    @Test
    void wellFormedFileIsReadExactly() {
        Path f = write(twoTensors());
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals(List.of("a", "b"), List.copyOf(s.names()));
            assertArrayEquals(new float[] {1, 2, 3, 4}, s.readFloats("a"));
            assertArrayEquals(new float[] {5, 6}, s.readFloats("b"));
            assertEquals(Map.of("format", "pt"), s.metadata());
        }
    }

    @Test
    void truncatedData() {
        Path f = write(twoTensors().truncate(4));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "truncated");
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Path f = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertNamed(() -> SafetensorsFile.open(f), f, null, "truncated");
    }

    @Test
    void headerLengthBeyondTheFile() {
        Path f = write(twoTensors().headerLength(10_000));
        assertNamed(() -> SafetensorsFile.open(f), f, null, "header length 10000", "beyond the end of the file");
    }

    @Test
    void negativeHeaderLength() {
        Path f = write(twoTensors().headerLength(-8));
        assertNamed(() -> SafetensorsFile.open(f), f, null, "not plausible");
    }

    @Test
    void offsetsOutOfRange() {
        Path f = write(twoTensors().declareOffsets("b", 16, 4016));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "[16, 4016]", "beyond the data section");
    }

    @Test
    void offsetsReversed() {
        Path f = write(twoTensors().declareOffsets("b", 16, 8));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "end before they begin");
    }

    @Test
    void overlappingTensors() {
        // b claims the last 8 bytes of a; the byte count still matches b's shape.
        Path f = write(twoTensors().declareOffsets("b", 8, 16));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "overlaps tensor 'a'");
    }

    @Test
    void overlapBehindAnEmptyTensorIsFound() {
        // a covers [0, 40); the empty tensor e at 8 sits between a and c in offset order and must not hide
        // that c [16, 24) lies inside a.
        Path f = write(new SafetensorsFileBuilder()
                .f32("a", new long[] {10}, new float[10])
                .f32("e", new long[] {0})
                .f32("c", new long[] {2}, 7, 8)
                .declareOffsets("e", 8, 8)
                .declareOffsets("c", 16, 24));
        assertNamed(() -> SafetensorsFile.open(f), f, "c", "overlaps tensor 'a'");
    }

    @Test
    void byteRangeDisagreesWithShape() {
        Path f = write(twoTensors().declareShape("a", 3));
        assertNamed(() -> SafetensorsFile.open(f), f, "a", "holds 16 bytes", "needs 12");
    }

    @Test
    void byteRangeDisagreesWithDtype() {
        Path f = write(twoTensors().declareDtype("a", "F16"));
        assertNamed(() -> SafetensorsFile.open(f), f, "a", "F16", "needs 8");
    }

    @Test
    void unknownDtype() {
        Path f = write(twoTensors().raw("q", "I4", new long[] {4}, new byte[] {1, 2}));
        assertNamed(() -> SafetensorsFile.open(f), f, "q", "unknown dtype \"I4\"");
    }

    @Test
    void dtypeOfTheFormatThatBaloraDoesNotReadIsRefusedWhenAskedFor() {
        // F8_E4M3 and I64 are valid safetensors dtypes: the file opens (an old BERT's I64 position_ids must
        // not make the model unloadable), but the tensors are not offered and asking for one explains why.
        Path f = write(twoTensors()
                .raw("scales", "F8_E4M3", new long[] {2}, new byte[] {0x38, 0x40})
                .raw("position_ids", "I64", new long[] {2}, new byte[16]));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals(List.of("a", "b"), List.copyOf(s.names()));
            assertFalse(s.contains("scales"));
            assertEquals(Map.of("scales", "F8_E4M3", "position_ids", "I64"), s.skipped());
            assertNamed(() -> s.readFloats("scales"), f, "scales", "F8_E4M3");
            assertNamed(() -> s.requireAll(List.of("a", "position_ids")), f, null, "position_ids (I64)");
        }
    }

    @Test
    void byteRangeOfAnUnreadDtypeIsStillValidated() {
        Path f = write(twoTensors().raw("position_ids", "I64", new long[] {3}, new byte[16]));
        assertNamed(() -> SafetensorsFile.open(f), f, "position_ids", "needs 24");
    }

    @Test
    void garbageHeaderJson() {
        Path f = write(twoTensors().rawHeader("{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 2"));
        assertNamed(() -> SafetensorsFile.open(f), f, "a", "not valid JSON");
        Path g = write(twoTensors().rawHeader("{,}"));
        assertNamed(() -> SafetensorsFile.open(g), g, null, "header is not a valid JSON object");
    }

    @Test
    void headerThatIsNotAnObject() {
        Path f = write(twoTensors().rawHeader("[1, 2, 3]"));
        assertNamed(() -> SafetensorsFile.open(f), f, null, "header is not a valid JSON object");
    }

    @Test
    void textAfterTheHeaderObject() {
        Path f = write(twoTensors().rawHeader("{} {}"));
        assertNamed(() -> SafetensorsFile.open(f), f, null, "after its JSON object");
    }

    @Test
    void headerEntryThatIsNotAnObject() {
        Path f = write(twoTensors().rawEntry("b", "42"));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "not an object");
    }

    @Test
    void headerEntryWithoutShape() {
        Path f = write(twoTensors().rawEntry("b", "{\"dtype\":\"F32\",\"data_offsets\":[16,24]}"));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "\"shape\"");
    }

    @Test
    void dtypeThatIsNotAString() {
        Path f = write(twoTensors().rawEntry("b", "{\"dtype\":[\"F32\"],\"shape\":[2],\"data_offsets\":[16,24]}"));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "dtype");
    }

    @Test
    void fractionalOffsetsAreNotTruncatedSilently() {
        Path f = write(twoTensors().rawEntry("b", "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24.5]}"));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "integers");
    }

    @Test
    void negativeDimension() {
        Path f = write(twoTensors().rawEntry("b", "{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[16,24]}"));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "-2");
    }

    @Test
    void tensorNamedTwice() {
        // JSON parsers keep the last duplicate; which bytes are "b" would then be a guess.
        Path f = write(twoTensors().rawHeaderMember("\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "twice");
    }

    @Test
    void deeplyNestedHeaderIsGarbageNotAStackOverflow() {
        int depth = 200_000;
        Path f = write(twoTensors().rawEntry("b", "[".repeat(depth) + "]".repeat(depth)));
        assertNamed(() -> SafetensorsFile.open(f), f, "b", "nested deeper");
    }

    @Test
    void headerThatIsNotUtf8() {
        Path f = write(twoTensors().rawHeader("{\"caf\u00e9\": 1}"));
        // Rewrite the header's bytes as Latin-1: the e-acute becomes a lone 0xE9 byte, invalid in UTF-8.
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(f);
            int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("caf") + 3;
            bytes[at] = (byte) 0xE9;
            bytes[at + 1] = '"';
            bytes[at + 2] = ' ';
            java.nio.file.Files.write(f, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertNamed(() -> SafetensorsFile.open(f), f, null, "UTF-8");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.safetensors");
        assertNamed(() -> SafetensorsFile.open(f), f, null, "cannot open");
    }

    @Test
    void absentTensorIsNamed() {
        Path f = write(twoTensors());
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertNamed(() -> s.readFloats("c"), f, "c", "no such tensor");
        }
    }

    @Test
    void readingAfterCloseIsAClearError() {
        Path f = write(twoTensors());
        SafetensorsFile s = SafetensorsFile.open(f);
        s.close();
        assertNamed(() -> s.readFloats("a"), f, "a", "closed");
    }
}
