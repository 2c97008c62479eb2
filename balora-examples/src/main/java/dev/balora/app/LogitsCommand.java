package dev.balora.app;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.ForwardContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code balora logits}: the next-token logits of a causal LM at every position of a token sequence. */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Print {\"logits\": [[...vocab floats...], ...one row per position]} for a token sequence.")
final class LogitsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Hugging Face model directory")
    Path model;

    @Option(names = "--tokens", required = true, description = "comma-separated token ids, e.g. 1,77,401")
    String tokens;

    @Option(names = "--adapter", description = "a PEFT adapter directory to apply (for PiSSA: with --model its residual)")
    Path adapter;

    @Override
    public Integer call() {
        int[] ids = TokenList.parse("--tokens", tokens);
        if (ids.length == 0) {
            throw new IllegalArgumentException("--tokens needs at least one token id");
        }
        try (PretrainedModel loaded = Models.load(model)) {
            CausalLanguageModel lm = CausalModels.require(loaded, model);
            if (adapter != null) {
                PeftAdapter.load(lm, adapter);
            }
            for (int t : ids) {
                if (t < 0 || t >= lm.vocabSize()) {
                    throw new IllegalArgumentException("token " + t + " is outside the vocabulary [0, "
                            + lm.vocabSize() + ")");
                }
            }
            float[] logits;
            try (NDManager m = lm.manager().newSubManager()) {
                logits = lm.logits(m.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, ids.length)),
                        null, ForwardContext.INFERENCE).toFloatArray();
            }
            int v = lm.vocabSize();
            JsonArray rows = new JsonArray();
            for (int t = 0; t < ids.length; t++) {
                JsonArray row = new JsonArray();
                for (int j = 0; j < v; j++) {
                    row.add(logits[t * v + j]);
                }
                rows.add(row);
            }
            JsonObject out = new JsonObject();
            out.add("logits", rows);
            System.out.println(out);
            System.out.flush();
        }
        return 0;
    }
}
