package dev.balora.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import dev.balora.checkpoint.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns examples into token ids with a Hugging Face tokenizer: special tokens added, truncated to a maximum
 * length (longest-first for pairs), never padded (padding is the {@link Collator}'s job, per batch).
 */
public final class TextEncoder implements AutoCloseable {
    private static final int CHUNK = 1024;

    private final HuggingFaceTokenizer tokenizer;
    private final boolean owned;

    /**
     * Wraps a tokenizer configured by the caller (it must not pad); the caller keeps ownership.
     *
     * @param tokenizer the tokenizer
     */
    public TextEncoder(HuggingFaceTokenizer tokenizer) {
        this(tokenizer, false);
    }

    private TextEncoder(HuggingFaceTokenizer tokenizer, boolean owned) {
        this.tokenizer = Objects.requireNonNull(tokenizer);
        this.owned = owned;
    }

    /**
     * Loads a {@code tokenizer.json} (or a directory holding one) with truncation to {@code maxLength} tokens.
     *
     * @param tokenizerFile the tokenizer file or directory
     * @param maxLength the maximum number of tokens per example, special tokens included
     * @return an encoder that owns the tokenizer
     */
    public static TextEncoder fromFile(Path tokenizerFile, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
        }
        if (!Files.exists(tokenizerFile)) {
            throw new IllegalArgumentException("tokenizer not found: " + tokenizerFile.toAbsolutePath());
        }
        return new TextEncoder(Tokenizers.builder().setFile(tokenizerFile).optMaxLength(maxLength).build(), true);
    }

    /** The wrapped tokenizer. */
    public HuggingFaceTokenizer tokenizer() {
        return tokenizer;
    }

    /** Encodes one example (single sentence or pair). */
    public EncodedExample encode(Example example) {
        Encoding e = example.isPair() ? tokenizer.encode(example.text(), example.textPair())
                : tokenizer.encode(example.text());
        return toEncoded(e, example.label());
    }

    /** Encodes many examples, batching the tokenizer calls. */
    public List<EncodedExample> encodeAll(List<Example> examples) {
        List<EncodedExample> out = new ArrayList<>(examples.size());
        for (int start = 0; start < examples.size(); start += CHUNK) {
            List<Example> chunk = examples.subList(start, Math.min(examples.size(), start + CHUNK));
            boolean pairs = chunk.get(0).isPair();
            for (Example ex : chunk) {
                if (ex.isPair() != pairs) {
                    throw new IllegalArgumentException("mixed single and pair examples (at " + ex.origin() + ")");
                }
            }
            Encoding[] encodings;
            if (pairs) {
                PairList<String, String> texts = new PairList<>(chunk.size());
                for (Example ex : chunk) {
                    texts.add(ex.text(), ex.textPair());
                }
                encodings = tokenizer.batchEncode(texts);
            } else {
                List<String> texts = new ArrayList<>(chunk.size());
                for (Example ex : chunk) {
                    texts.add(ex.text());
                }
                encodings = tokenizer.batchEncode(texts);
            }
            for (int i = 0; i < encodings.length; i++) {
                out.add(toEncoded(encodings[i], chunk.get(i).label()));
            }
        }
        return out;
    }

    private static EncodedExample toEncoded(Encoding e, float label) {
        long[] ids = e.getIds();
        long[] mask = e.getAttentionMask();
        int n = 0;
        while (n < mask.length && mask[n] != 0) {
            n++;
        }
        // A tokenizer.json may carry its own padding settings; keep only the real tokens.
        long[] types = e.getTypeIds();
        return new EncodedExample(java.util.Arrays.copyOf(ids, n), java.util.Arrays.copyOf(types, n), label);
    }

    @Override
    public void close() {
        if (owned) {
            tokenizer.close();
        }
    }
}
