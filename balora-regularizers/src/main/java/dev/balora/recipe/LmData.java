package dev.balora.recipe;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.jsonl.CausalLmEncoder;
import dev.balora.data.jsonl.JsonlLayout;
import dev.balora.data.jsonl.JsonlReader;
import dev.balora.data.jsonl.PromptResponse;
import dev.balora.data.jsonl.PromptTemplate;
import dev.balora.model.CausalLanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What causal-LM training and evaluation share about a model directory: its tokenizer (when it has a
 * tokenizer.json), its EOS id, and the JSONL reader and encoder set up for it.
 */
public final class LmData implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int eosId;
    private final CausalLmEncoder encoder;
    private final JsonlReader reader;

    /**
     * Sets up reading and encoding for a model.
     *
     * @param modelDir the model directory (config.json, optional tokenizer.json)
     * @param model the loaded model (vocabulary size and positions bound the encoding)
     * @param maxLength tokens per example, capped at the model's positions
     * @param template a GSM8K prompt template with {@code {question}}, or null for the default
     * @param layout the JSONL layout, or null to detect it
     * @param limit read at most this many examples per file (0 = all)
     * @param badRows what a malformed line does
     */
    public LmData(Path modelDir, CausalLanguageModel model, int maxLength, String template, JsonlLayout layout, int limit,
            BadRowPolicy badRows) {
        Path tok = modelDir.resolve(HfCheckpoint.TOKENIZER);
        this.tokenizer = Files.isRegularFile(tok) ? dev.balora.checkpoint.Tokenizers.load(tok) : null;
        this.eosId = eos(HfCheckpoint.readConfig(modelDir.resolve(HfCheckpoint.CONFIG)), modelDir);
        int max = Math.min(maxLength, model.maxPositions());
        this.encoder = CausalLmEncoder.builder().optTokenizer(tokenizer).optMaxLength(max).optEosTokenId(eosId)
                .optVocabSize(model.vocabSize()).build();
        JsonlReader.Builder rb = JsonlReader.builder().optLayout(layout).optLimit(limit)
                .optBadRows(badRows);
        if (template != null) {
            rb.optTemplate(new PromptTemplate(template));
        }
        this.reader = rb.build();
    }

    /** The tokenizer, or null when the model directory has no tokenizer.json (token-id data only). */
    public HuggingFaceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The end-of-sequence id, also used as padding. */
    public int eosId() {
        return eosId;
    }

    /** The encoder of prompt/response pairs into masked training examples. */
    public CausalLmEncoder encoder() {
        return encoder;
    }

    /** Reads a JSONL file. */
    public List<PromptResponse> read(Path file) {
        return reader.read(file);
    }

    /** Token ids to text: the tokenizer's decoding, else the ids separated by spaces. */
    public String decode(int[] ids) {
        if (tokenizer == null) {
            StringBuilder s = new StringBuilder();
            for (int id : ids) {
                s.append(s.length() == 0 ? "" : " ").append(id);
            }
            return s.toString();
        }
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    private static int eos(JsonObject config, Path dir) {
        JsonElement e = config.get("eos_token_id");
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException(dir.resolve(HfCheckpoint.CONFIG) + " has no eos_token_id: the "
                    + "response must end with an EOS token");
        }
        return e.isJsonArray() ? e.getAsJsonArray().get(0).getAsInt() : e.getAsInt();
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
