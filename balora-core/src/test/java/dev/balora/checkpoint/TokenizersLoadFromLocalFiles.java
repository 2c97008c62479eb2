package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The all-MiniLM-L6-v2 {@code tokenizer.json} (shipped in the langchain4j jar) loads from a local file, offline,
 * and gives the WordPiece ids worked out by hand from its vocabulary; truncation and padding do what is asked,
 * and a missing or broken file is named.
 */
class TokenizersLoadFromLocalFiles {
    @TempDir
    static Path dir;
    static Path tokenizerJson;

    @BeforeAll
    static void copyFromTheJar() throws IOException {
        tokenizerJson = dir.resolve("tokenizer.json");
        try (InputStream in = TokenizersLoadFromLocalFiles.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test class path");
            }
            Files.copy(in, tokenizerJson);
        }
    }

    @Test
    void idsMatchHandCheckedWordPiece() {
        // Ids looked up in the file's vocab: [CLS]=101, [SEP]=102, hello=7592, world=2088, ","=1010, em=7861,
        // ##bed=8270, ##ding=4667, ##s=2015, "!"=999, the=1996, token=19204, ##ization=3989, works=2573.
        try (HuggingFaceTokenizer t = Tokenizers.load(tokenizerJson)) {
            assertArrayEquals(new long[] {101, 7592, 2088, 102}, t.encode("hello world").getIds());
            // Lower-casing and accent stripping come from the file's BertNormalizer.
            assertArrayEquals(new long[] {101, 7592, 1010, 7861, 8270, 4667, 2015, 999, 102},
                    t.encode("Héllo, Embeddings!").getIds());
            Encoding e = t.encode("The tokenization works!");
            assertArrayEquals(new long[] {101, 1996, 19204, 3989, 2573, 999, 102}, e.getIds());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1}, e.getAttentionMask());
        }
    }

    @Test
    void theFilesOwnFixedPaddingIsNotApplied() {
        // The file asks for Fixed(128) padding and truncation at 128; load() does neither.
        try (HuggingFaceTokenizer t = Tokenizers.load(tokenizerJson)) {
            assertEquals(4, t.encode("hello world").getIds().length);
            String longText = "word ".repeat(300);
            assertEquals(302, t.encode(longText).getIds().length);
        }
    }

    @Test
    void truncationKeepsTheSpecialTokens() {
        try (HuggingFaceTokenizer t = Tokenizers.builder().setFile(tokenizerJson).optMaxLength(5).build()) {
            assertArrayEquals(new long[] {101, 1996, 19204, 3989, 102}, t.encode("The tokenization works!").getIds());
        }
    }

    @Test
    void maxLengthAbove512IsHonoured() {
        try (HuggingFaceTokenizer t = Tokenizers.builder().setFile(tokenizerJson).optMaxLength(600).build()) {
            assertEquals(600, t.encode("word ".repeat(1000)).getIds().length);
        }
    }

    @Test
    void batchPaddingToTheLongest() {
        try (HuggingFaceTokenizer t = Tokenizers.builder().setFile(tokenizerJson).optMaxLength(128)
                .optPadding(Tokenizers.Padding.LONGEST).build()) {
            Encoding[] batch = t.batchEncode(List.of("hello world", "The tokenization works!"));
            assertArrayEquals(new long[] {101, 7592, 2088, 102, 0, 0, 0}, batch[0].getIds());
            assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0}, batch[0].getAttentionMask());
            assertArrayEquals(new long[] {101, 1996, 19204, 3989, 2573, 999, 102}, batch[1].getIds());
        }
    }

    @Test
    void paddingToMaxLength() {
        try (HuggingFaceTokenizer t = Tokenizers.builder().setFile(tokenizerJson).optMaxLength(6)
                .optPadding(Tokenizers.Padding.MAX_LENGTH).build()) {
            assertArrayEquals(new long[] {101, 7592, 2088, 102, 0, 0}, t.encode("hello world").getIds());
        }
    }

    @Test
    void directoryHoldingTokenizerJson() {
        try (HuggingFaceTokenizer t = Tokenizers.load(dir)) {
            assertArrayEquals(new long[] {101, 7592, 2088, 102}, t.encode("hello world").getIds());
        }
    }

    @Test
    void missingFileIsNamed() {
        Path absent = dir.resolve("absent/tokenizer.json");
        assertNamed(() -> Tokenizers.load(absent), absent, null, "missing");
    }

    @Test
    void brokenFileIsNamed() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"model\": {\"type\": \"WordPiece\"");
        assertNamed(() -> Tokenizers.load(broken), broken, null, "cannot load the tokenizer");
        Path notATokenizer = Files.writeString(dir.resolve("other.json"), "{\"hello\": 1}");
        assertNamed(() -> Tokenizers.load(notATokenizer), notATokenizer, null, "cannot load the tokenizer");
    }

    @Test
    void inconsistentOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.builder().build());
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.builder().setFile(tokenizerJson)
                .optPadding(Tokenizers.Padding.MAX_LENGTH).build());
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.builder().setFile(tokenizerJson)
                .optMaxLength(0).build());
    }
}
