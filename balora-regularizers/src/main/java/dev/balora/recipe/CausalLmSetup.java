package dev.balora.recipe;

import ai.djl.Device;
import dev.balora.data.BatchOrder;
import dev.balora.data.BatchSource;
import dev.balora.data.jsonl.CausalLmDataset;
import dev.balora.data.jsonl.CausalLmEncoder;
import dev.balora.data.jsonl.PromptResponse;
import dev.balora.eval.LanguageModelLoss;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.objective.WeightedObjective;
import dev.balora.train.Evaluation;
import dev.balora.train.TrainingTask;
import dev.balora.train.lm.CausalLmTask;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A decoder trained on the response tokens of prompt/response JSONL, with an optional held-out file. */
final class CausalLmSetup implements TaskSetup {
    private final PretrainedModel loaded;
    private final CausalLanguageModel model;
    private final CausalLmDataset train;
    private final CausalLmDataset held;
    private final int evalBatch;
    private final CausalLmEncoder.Result encoded;

    private CausalLmSetup(PretrainedModel loaded, CausalLmDataset train, CausalLmDataset held, int evalBatch,
            CausalLmEncoder.Result encoded) {
        this.loaded = loaded;
        this.model = (CausalLanguageModel) loaded;
        this.train = train;
        this.held = held;
        this.evalBatch = evalBatch;
        this.encoded = encoded;
    }

    /** Loads the decoder, then reads and encodes the training and held-out files. */
    static CausalLmSetup open(RecipeSettings s, Path modelDir, Device device) {
        TaskSettings t = s.task();
        PretrainedModel loaded = Models.load(modelDir, device);
        try {
            if (!(loaded instanceof CausalLanguageModel lm)) {
                throw new IllegalArgumentException(modelDir + " holds a " + loaded.modelType() + " model without a "
                        + "language-model head (" + loaded.getClass().getSimpleName() + "); causal-LM fine-tuning "
                        + "needs a decoder");
            }
            try (LmData data = new LmData(modelDir, lm, t.maxLength(), t.template(), t.jsonlLayout(), 0,
                    t.badRowPolicy())) {
                CausalLmEncoder.Result enc = data.encoder().encode(limit(data.read(t.dataPath()), t.trainLimit()));
                CausalLmDataset train = new CausalLmDataset(enc.examples(), data.eosId(), BatchOrder.BUCKETED, 50);
                CausalLmDataset held = null;
                if (t.evalData() != null) {
                    List<PromptResponse> pairs = limit(data.read(Path.of(t.evalData())), t.evalLimit());
                    held = new CausalLmDataset(data.encoder().encode(pairs).examples(), data.eosId(),
                            BatchOrder.SORTED, 1);
                }
                return new CausalLmSetup(loaded, train, held, s.optimization().batchSize(), enc);
            }
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private static List<PromptResponse> limit(List<PromptResponse> pairs, int limit) {
        return limit > 0 && pairs.size() > limit ? pairs.subList(0, limit) : pairs;
    }

    @Override
    public PretrainedModel model() {
        return loaded;
    }

    @Override
    public BatchSource trainData() {
        return train;
    }

    @Override
    public int evalExamples() {
        return held == null ? 0 : held.size();
    }

    @Override
    public TrainingTask trainingTask(WeightedObjective objective) {
        return CausalLmTask.builder().setModel(model).optObjective(objective).build();
    }

    @Override
    public Evaluation evaluation() {
        if (held == null) {
            return null;
        }
        return manager -> {
            LanguageModelLoss.Result r = LanguageModelLoss.evaluate(model, held, evalBatch);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("eval_loss", r.loss());
            metrics.put("eval_perplexity", r.perplexity());
            return metrics;
        };
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("truncated", encoded.truncated());
        d.put("dropped", encoded.dropped());
        d.put("target_tokens", train.targetTokens());
        return d;
    }

    @Override
    public void close() {
        loaded.close();
    }
}
