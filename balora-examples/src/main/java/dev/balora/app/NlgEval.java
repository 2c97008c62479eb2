package dev.balora.app;

import dev.balora.recipe.LmData;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.data.BatchOrder;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.jsonl.CausalLmDataset;
import dev.balora.data.jsonl.JsonlLayout;
import dev.balora.data.jsonl.PromptResponse;
import dev.balora.eval.GenerationEvaluator;
import dev.balora.eval.Gsm8kAnswers;
import dev.balora.eval.LanguageModelLoss;
import dev.balora.generate.GenerationOptions;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates a causal LM (optionally with a PEFT LoRA adapter) by greedy generation, GSM8K answer exact match, and
 * held-out loss/perplexity on any prompt/response JSONL. {@code balora eval --gsm8k ...} and
 * {@code balora eval --data FILE.jsonl} run this ({@link NlgRouting}).
 */
@Command(name = "eval-nlg", mixinStandardHelpOptions = true,
        description = "Evaluate a causal LM: GSM8K exact match by greedy decoding, held-out loss; prints JSON.")
final class NlgEval implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Hugging Face causal-LM directory")
    Path model;

    @Option(names = "--adapter", description = "PEFT LoRA adapter directory (as finetune-nlg writes)")
    Path adapter;

    @Option(names = "--gsm8k", description = "GSM8K JSONL: accuracy of the answer after #### (needs tokenizer.json)")
    Path gsm8k;

    @Option(names = "--data", description = "prompt/response JSONL: held-out loss and perplexity")
    Path data;

    @Option(names = "--exact-match", description = "with --data: also generate and compare with the whole response")
    boolean exactMatch;

    @Option(names = "--limit", defaultValue = "0", description = "at most N examples per file (0 = all)")
    int limit;

    @Option(names = "--batch-size", defaultValue = "8", description = "prompts per batch (${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--max-new-tokens", defaultValue = "256", description = "generation limit (${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--max-length", defaultValue = "512", description = "tokens per example for the loss")
    int maxLength;

    @Option(names = "--template", description = "GSM8K prompt template with {question}")
    String template;

    @Option(names = "--show", defaultValue = "3", description = "predictions printed per evaluation (${DEFAULT-VALUE})")
    int show;

    @Override
    public Integer call() {
        if (gsm8k == null && data == null) {
            throw new IllegalArgumentException("give --gsm8k FILE and/or --data FILE");
        }
        JsonObject out = new JsonObject();
        try (PretrainedModel loaded = Models.load(model);
                LmData lmData = new LmData(model, CausalModels.require(loaded, model), maxLength, template, null,
                        limit, BadRowPolicy.FAIL)) {
            CausalLanguageModel lm = (CausalLanguageModel) loaded;
            if (adapter != null) {
                PeftAdapter.load(loaded, adapter);
                out.addProperty("adapter", adapter.toString());
            }
            GenerationOptions greedy = GenerationOptions.builder().setMaxNewTokens(maxNewTokens)
                    .optStopTokens(lmData.eosId()).optPadTokenId(lmData.eosId()).build();
            if (gsm8k != null) {
                if (lmData.tokenizer() == null) {
                    throw new IllegalArgumentException(model + " has no tokenizer.json: GSM8K text cannot be "
                            + "tokenized or decoded");
                }
                List<PromptResponse> pairs = lmData.read(gsm8k);
                GenerationEvaluator ev = GenerationEvaluator.builder().setOptions(greedy).optBatchSize(batchSize)
                        .setDecoder(lmData::decode).optMatch(Gsm8kAnswers::matches).build();
                out.add("gsm8k", generation(ev.evaluate(lm, prompts(lmData, pairs),
                        pairs.stream().map(PromptResponse::response).collect(Collectors.toList())), true));
            }
            if (data != null) {
                List<PromptResponse> pairs = lmData.read(data);
                CausalLmDataset ds = new CausalLmDataset(lmData.encoder().encode(pairs).examples(), lmData.eosId(),
                        BatchOrder.SORTED, 1);
                out.add("loss", loss(LanguageModelLoss.evaluate(lm, ds, batchSize)));
                if (exactMatch) {
                    GenerationEvaluator ev = GenerationEvaluator.builder().setOptions(greedy).optBatchSize(batchSize)
                            .setDecoder(lmData::decode).optMatch(String::equals).build();
                    List<String> refs = new ArrayList<>();
                    for (PromptResponse p : pairs) {
                        refs.add(p.tokenized() ? lmData.decode(Arrays.stream(p.responseIds()).mapToInt(Math::toIntExact)
                                .toArray()) : p.response());
                    }
                    out.add("exact_match", generation(ev.evaluate(lm, prompts(lmData, pairs), refs), false));
                }
            }
        }
        System.out.println(out);
        System.out.flush();
        return 0;
    }

    static JsonObject loss(LanguageModelLoss.Result r) {
        JsonObject o = new JsonObject();
        o.addProperty("loss", r.loss());
        o.addProperty("perplexity", r.perplexity());
        o.addProperty("tokens", r.tokens());
        o.addProperty("examples", r.examples());
        return o;
    }

    private static List<long[]> prompts(LmData d, List<PromptResponse> pairs) {
        List<long[]> out = new ArrayList<>(pairs.size());
        for (PromptResponse p : pairs) {
            out.add(d.encoder().promptIds(p));
        }
        return out;
    }

    private JsonObject generation(GenerationEvaluator.Result r, boolean answers) {
        JsonObject o = new JsonObject();
        o.addProperty("accuracy", r.accuracy());
        o.addProperty("correct", r.correct());
        o.addProperty("total", r.total());
        JsonArray shown = new JsonArray();
        for (GenerationEvaluator.Prediction p : r.predictions().subList(0, Math.min(show, r.total()))) {
            JsonObject x = new JsonObject();
            x.addProperty("generated", p.generated());
            if (answers) {
                x.addProperty("answer", Gsm8kAnswers.extract(p.generated()));
                x.addProperty("reference_answer", Gsm8kAnswers.extract(p.reference()));
            } else {
                x.addProperty("reference", p.reference());
            }
            x.addProperty("correct", p.correct());
            shown.add(x);
        }
        o.add("predictions", shown);
        return o;
    }
}
