package dev.balora.app;

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
 * What the causal-LM commands share about a model directory: its tokenizer (when it has a tokenizer.json), its EOS
 * id, and the JSONL reader and encoder set up for it.
 */
final class LmData implements AutoCloseable {
    final HuggingFaceTokenizer tokenizer;
    final int eosId;
    final CausalLmEncoder encoder;
    private final JsonlReader reader;

    LmData(Path modelDir, CausalLanguageModel model, int maxLength, String template, JsonlLayout layout, int limit,
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

    List<PromptResponse> read(Path file) {
        return reader.read(file);
    }

    /** Token ids to text: the tokenizer's decoding, else the ids separated by spaces. */
    String decode(int[] ids) {
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
