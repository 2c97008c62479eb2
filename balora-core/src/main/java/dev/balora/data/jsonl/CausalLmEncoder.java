package dev.balora.data.jsonl;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokenizes prompt/response pairs for causal-LM training: prompt with the tokenizer's special tokens (e.g. BOS),
 * response without, EOS appended to the response; labels are the tokens on response positions and
 * {@link CausalLmExample#IGNORE} on the prompt. Sequences longer than the maximum are cut from the right; a pair
 * whose response is cut away entirely is dropped. Both are counted and logged as one warning per call.
 */
public final class CausalLmEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(CausalLmEncoder.class);

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final long eosId;
    private final int vocabSize;

    private CausalLmEncoder(Builder b) {
        this.tokenizer = b.tokenizer;
        this.maxLength = b.maxLength;
        this.eosId = b.eosId;
        this.vocabSize = b.vocabSize;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What encoding a list produced.
     *
     * @param examples the encoded examples, in input order (dropped ones left out)
     * @param truncated how many were cut to the maximum length (dropped ones included)
     * @param dropped how many were left out because no response token survived the cut
     */
    public record Result(List<CausalLmExample> examples, int truncated, int dropped) {}

    /**
     * Encodes pairs; logs one warning when any was truncated or dropped.
     *
     * @throws IllegalArgumentException naming the source line of an id outside the vocabulary, or when every
     *     example was dropped
     */
    public Result encode(List<PromptResponse> pairs) {
        List<CausalLmExample> out = new ArrayList<>(pairs.size());
        int truncated = 0;
        int dropped = 0;
        for (PromptResponse p : pairs) {
            long[] prompt = promptIds(p);
            long[] response = responseIds(p);
            int full = prompt.length + response.length;
            if (full > maxLength) {
                truncated++;
            }
            int length = Math.min(full, maxLength);
            if (length <= prompt.length) {
                dropped++;
                continue;
            }
            long[] ids = new long[length];
            long[] labels = new long[length];
            for (int t = 0; t < length; t++) {
                boolean inPrompt = t < prompt.length;
                ids[t] = inPrompt ? prompt[t] : response[t - prompt.length];
                labels[t] = inPrompt ? CausalLmExample.IGNORE : ids[t];
            }
            out.add(new CausalLmExample(ids, labels, prompt.length));
        }
        if (truncated > 0) {
            LOG.warn("{} of {} examples were longer than {} tokens and were cut; {} of them lost their whole response"
                    + " and were dropped", truncated, pairs.size(), maxLength, dropped);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no example left: all " + pairs.size() + " prompts fill the maximum "
                    + "length of " + maxLength + " tokens");
        }
        return new Result(out, truncated, dropped);
    }

    /** The prompt's token ids (for generation), special tokens included for text. */
    public long[] promptIds(PromptResponse p) {
        long[] ids = p.tokenized() ? p.promptIds() : tokenize(p.prompt(), true, p.source());
        check(ids, p.source(), "prompt");
        return ids;
    }

    /** The response's token ids followed by EOS (when an EOS id is set). */
    public long[] responseIds(PromptResponse p) {
        long[] ids = p.tokenized() ? p.responseIds() : tokenize(p.response(), false, p.source());
        check(ids, p.source(), "response");
        if (eosId < 0) {
            return ids;
        }
        long[] withEos = Arrays.copyOf(ids, ids.length + 1);
        withEos[ids.length] = eosId;
        return withEos;
    }

    private long[] tokenize(String text, boolean special, String source) {
        if (tokenizer == null) {
            throw new IllegalStateException(source + ": a text example needs a tokenizer (the model directory has no "
                    + "tokenizer.json: use the token-id layout {\"prompt_ids\": [...], \"response_ids\": [...]})");
        }
        return tokenizer.encode(text, special, false).getIds();
    }

    private void check(long[] ids, String source, String what) {
        if (vocabSize <= 0) {
            return;
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(source + ": " + what + " token " + i + " = " + ids[i]
                        + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
    }

    /** Builder of {@link CausalLmEncoder}. */
    public static final class Builder {
        private HuggingFaceTokenizer tokenizer;
        private int maxLength = 512;
        private long eosId = -1;
        private int vocabSize;

        private Builder() {}

        /** The tokenizer for text pairs (not needed for token ids). */
        public Builder optTokenizer(HuggingFaceTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /** The most tokens per example, prompt included (default 512). */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** The EOS id appended to every response; -1 (the default) appends nothing. */
        public Builder optEosTokenId(long eosId) {
            this.eosId = eosId;
            return this;
        }

        /** Reject ids outside [0, vocabSize) (default 0 = no check). */
        public Builder optVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** Validates and builds. */
        public CausalLmEncoder build() {
            if (maxLength < 2) {
                throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
            }
            if (eosId < -1) {
                throw new IllegalArgumentException("eos token id must be >= 0 (or -1 for none), got " + eosId);
            }
            if (vocabSize > 0 && eosId >= vocabSize) {
                throw new IllegalArgumentException("eos token id " + eosId + " is outside the vocabulary of "
                        + vocabSize);
            }
            return new CausalLmEncoder(this);
        }
    }
}
