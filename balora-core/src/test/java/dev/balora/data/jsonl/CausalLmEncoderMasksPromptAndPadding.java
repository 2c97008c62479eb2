package dev.balora.data.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.balora.checkpoint.Tokenizers;
import dev.balora.data.Batch;
import dev.balora.data.BatchOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token by token: the prompt and padding are -100 in the labels, EOS ends the response, long examples are cut from
 * the right (and dropped when no response token is left), GSM8K text goes through the template and tokenizer.
 */
class CausalLmEncoderMasksPromptAndPadding {
    static final long I = CausalLmExample.IGNORE;

    @Test
    void tokenIdsArePromptMaskedWithEosAppended() {
        CausalLmEncoder enc = CausalLmEncoder.builder().optEosTokenId(2).optMaxLength(16).optVocabSize(50).build();
        CausalLmEncoder.Result r = enc.encode(List.of(
                PromptResponse.ids(new long[] {1, 5, 6}, new long[] {7, 8}, "a:1"),
                PromptResponse.ids(new long[] {1, 9}, new long[] {10}, "a:2")));
        assertArrayEquals(new long[] {1, 5, 6, 7, 8, 2}, r.examples().get(0).inputIds());
        assertArrayEquals(new long[] {I, I, I, 7, 8, 2}, r.examples().get(0).labels());
        assertArrayEquals(new long[] {1, 9, 10, 2}, r.examples().get(1).inputIds());
        assertArrayEquals(new long[] {I, I, 10, 2}, r.examples().get(1).labels());
        assertEquals(0, r.truncated());

        CausalLmDataset ds = new CausalLmDataset(r.examples(), 0, BatchOrder.SEQUENTIAL, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = ds.load(new int[] {0, 1}, m);
            assertArrayEquals(new long[] {1, 5, 6, 7, 8, 2, 1, 9, 10, 2, 0, 0}, b.inputIds().toLongArray());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, b.attentionMask().toLongArray());
            assertArrayEquals(new long[] {I, I, I, 7, 8, 2, I, I, 10, 2, I, I}, b.labels().toLongArray());
            assertEquals(10, b.tokenCount());
        }
        assertEquals(5, ds.targetTokens());
    }

    @Test
    void longExamplesAreCutFromTheRightAndCounted() {
        CausalLmEncoder enc = CausalLmEncoder.builder().optEosTokenId(2).optMaxLength(4).build();
        CausalLmEncoder.Result r = enc.encode(List.of(
                PromptResponse.ids(new long[] {1, 5}, new long[] {7, 8, 9}, "b:1"), // 6 tokens -> cut to 4
                PromptResponse.ids(new long[] {1, 5, 6, 7}, new long[] {8}, "b:2"), // prompt fills it: dropped
                PromptResponse.ids(new long[] {1}, new long[] {7}, "b:3"))); // fits
        assertEquals(2, r.truncated());
        assertEquals(1, r.dropped());
        assertEquals(2, r.examples().size());
        assertArrayEquals(new long[] {1, 5, 7, 8}, r.examples().get(0).inputIds());
        assertArrayEquals(new long[] {I, I, 7, 8}, r.examples().get(0).labels());
        assertArrayEquals(new long[] {I, 7, 2}, r.examples().get(1).labels());
    }

    @Test
    void idsOutsideTheVocabularyNameTheLine() {
        CausalLmEncoder enc = CausalLmEncoder.builder().optEosTokenId(2).optVocabSize(10).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.encode(List.of(
                PromptResponse.ids(new long[] {1}, new long[] {3, 12}, "data.jsonl:7"))));
        assertTrue(e.getMessage().contains("data.jsonl:7") && e.getMessage().contains("12"), e.getMessage());
    }

    @Test
    void textWithoutTokenizerIsAClearError() {
        CausalLmEncoder enc = CausalLmEncoder.builder().optEosTokenId(2).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> enc.encode(List.of(PromptResponse.text("q", "a", "t.jsonl:3"))));
        assertTrue(e.getMessage().contains("t.jsonl:3") && e.getMessage().contains("prompt_ids"), e.getMessage());
    }

    @Test
    void gsm8kTextGoesThroughTemplateAndTokenizer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gsm8k.jsonl");
        Files.writeString(file, "{\"question\": \"2 + 3\", \"answer\": \"2 + 3 is 5 #### 5\"}\n");
        List<PromptResponse> pairs = JsonlReader.builder().optTemplate(new PromptTemplate("Question: {question} Answer:"))
                .build().read(file);
        assertEquals("Question: 2 + 3 Answer:", pairs.get(0).prompt());
        Path json = Path.of(getClass().getResource("word-level-tokenizer.json").toURI());
        try (HuggingFaceTokenizer tok = Tokenizers.load(json)) {
            CausalLmEncoder enc = CausalLmEncoder.builder().optTokenizer(tok).optEosTokenId(2).optVocabSize(15).build();
            CausalLmExample e = enc.encode(pairs).examples().get(0);
            // <s> Question : 2 + 3 Answer : | 2 + 3 is 5 #### 5 </s>
            assertArrayEquals(new long[] {1, 3, 4, 6, 7, 8, 5, 4, 6, 7, 8, 9, 10, 11, 10, 2}, e.inputIds());
            assertArrayEquals(new long[] {I, I, I, I, I, I, I, I, 6, 7, 8, 9, 10, 11, 10, 2}, e.labels());
            assertEquals(8, e.promptLength());
        }
    }
}
