package dev.balora.app;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.PissaToLora;
import dev.balora.data.BatchOrder;
import dev.balora.data.jsonl.CausalLmDataset;
import dev.balora.data.jsonl.CausalLmEncoder;
import dev.balora.data.jsonl.JsonlLayout;
import dev.balora.eval.LanguageModelLoss;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.regularizers.NlgPreset;
import dev.balora.regularizers.nlg.MaskAlignment;
import dev.balora.train.Evaluation;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingResult;
import dev.balora.train.lm.CausalLmTask;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fine-tunes a causal LM on prompt/response JSONL with LoRA, PiSSA or BA-LoRA (PiSSA plus the NLG objective), and
 * writes the adapter as plain PEFT LoRA for the original base. {@code balora finetune} runs this when
 * it is given {@code --train FILE.jsonl}.
 */
@Command(name = "finetune-nlg", mixinStandardHelpOptions = true,
        description = "Fine-tune a causal LM on prompt/response JSONL (LoRA / PiSSA / BA-LoRA); prints a JSON summary.")
final class NlgFinetune implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(NlgFinetune.class);

    /** The fine-tuning methods. */
    enum Method { lora, pissa, balora }

    /** The NLG presets of BA-LoRA. */
    enum Preset {
        nlg_iclr, nlg_dec2024;

        NlgPreset create() {
            return this == nlg_iclr ? BaLoraPresets.nlgIclr() : BaLoraPresets.nlgDec2024();
        }
    }

    @Option(names = "--model", required = true, description = "Hugging Face causal-LM directory")
    Path model;

    @Option(names = "--train", required = true, description = "training JSONL (prompt/response, GSM8K or token ids)")
    Path train;

    @Option(names = "--eval", description = "held-out JSONL: loss/perplexity before, during and after training")
    Path eval;

    @Option(names = {"--out", "--output"}, required = true,
            description = "run folder: adapter/, metrics.jsonl, checkpoints/")
    Path output;

    @Option(names = "--method", defaultValue = "balora", description = "lora, pissa or balora (${DEFAULT-VALUE})")
    Method method;

    @Option(names = "--preset", defaultValue = "nlg-iclr", converter = PresetConverter.class,
            description = "BA-LoRA preset: nlg-iclr or nlg-dec2024 (${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = "--alignment", description = "override the preset's mask alignment: SHIFTED or UNSHIFTED")
    MaskAlignment alignment;

    @Option(names = "--rank", defaultValue = "8", description = "adapter rank (${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--alpha", description = "adapter alpha (default: the rank, as PiSSA recommends)")
    Double alpha;

    @Option(names = "--targets", split = ",",
            defaultValue = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
            description = "adapted modules (${DEFAULT-VALUE})")
    List<String> targets;

    @Option(names = "--lr", defaultValue = "2e-5", description = "peak learning rate (${DEFAULT-VALUE})")
    float lr;

    @Option(names = "--epochs", defaultValue = "1", description = "epochs (${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--max-steps", defaultValue = "-1", description = "optimizer steps; -1 = by epochs")
    int maxSteps;

    @Option(names = "--batch-size", defaultValue = "8", description = "examples per micro-batch (${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--grad-accum", defaultValue = "1", description = "micro-batches per step (${DEFAULT-VALUE})")
    int gradAccum;

    @Option(names = "--max-length", defaultValue = "512", description = "tokens per example (${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--warmup", defaultValue = "0.03", description = "warm-up share of steps (${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "global-norm clipping, 0 = off")
    double maxGradNorm;

    @Option(names = "--eval-every", defaultValue = "0", description = "evaluate every N steps (0 = at the end)")
    int evalEvery;

    @Option(names = "--seed", defaultValue = "42", description = "run seed (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--layout", description = "JSONL layout: PROMPT_RESPONSE, GSM8K or TOKEN_IDS (default: detect)")
    JsonlLayout layout;

    @Option(names = "--template", description = "GSM8K prompt template with {question}")
    String template;

    @Option(names = "--limit", defaultValue = "0", description = "read at most N training examples (0 = all)")
    int limit;

    @Option(names = "--bad-rows", defaultValue = "fail", paramLabel = "fail|skip",
            description = "a malformed JSONL line stops the run, or is skipped with a warning naming file and line "
                    + "(default: ${DEFAULT-VALUE})")
    String badRows;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        JsonObject out = new JsonObject();
        try (PretrainedModel loaded = Models.load(model);
                LmData data = new LmData(model, CausalModels.require(loaded, model), maxLength, template, layout,
                        limit, FineTuneSpec.badRowsEnum(badRows))) {
            CausalLanguageModel lm = (CausalLanguageModel) loaded;
            CausalLmEncoder.Result trainSet = data.encoder.encode(data.read(train));
            CausalLmDataset trainData = new CausalLmDataset(trainSet.examples(), data.eosId, BatchOrder.BUCKETED, 50);
            CausalLmDataset evalData = null;
            if (eval != null) {
                CausalLmEncoder.Result e = data.encoder.encode(data.read(eval));
                evalData = new CausalLmDataset(e.examples(), data.eosId, BatchOrder.SORTED, 1);
                out.add("eval_before", loss(LanguageModelLoss.evaluate(lm, evalData, batchSize)));
            }
            LoraModel lora = LoraModel.attach(loaded, AdapterConfig.builder().setTargets(targets.toArray(String[]::new))
                    .optRank(rank).optAlpha(alpha == null ? rank : alpha).optDropout(0)
                    .optInit(method == Method.lora ? InitMethod.LORA : InitMethod.PISSA).optSeed(seed)
                    .optTaskType("CAUSAL_LM").optBaseModelNameOrPath(model.toString()).build());
            WeightedObjective objective = null;
            if (method == Method.balora) {
                NlgPreset p = preset.create();
                if (alignment != null) {
                    p.optMaskAlignment(alignment);
                }
                objective = p.build();
                LOG.info("BA-LoRA objective: {}", p);
            }
            CausalLmTask task = CausalLmTask.builder().setModel(lm).optObjective(objective).build();
            TrainerConfig config = TrainerConfig.builder().setBatchSize(batchSize).setLearningRate(lr)
                    .optEpochs(epochs).optMaxSteps(maxSteps).optGradientAccumulation(gradAccum).optWeightDecay(0f)
                    .optWarmupRatio(warmup).optMaxGradNorm(maxGradNorm).optEvalEvery(evalEvery).optSeed(seed)
                    .optOutputDir(output).optProgressBar(false).build();
            CausalLmDataset held = evalData;
            Evaluation evaluation = held == null ? null : m -> {
                LanguageModelLoss.Result r = LanguageModelLoss.evaluate(lm, held, batchSize);
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("eval_loss", r.loss());
                metrics.put("eval_perplexity", r.perplexity());
                return metrics;
            };
            TrainingResult result;
            try (Trainer trainer = Trainer.builder().setModel(loaded).setTask(task).setTrainData(trainData)
                    .setConfig(config).optEvaluation(evaluation).build()) {
                result = trainer.fit();
            }
            Path adapterDir = output.resolve("adapter");
            if (method == Method.lora) {
                PeftAdapter.save(lora, adapterDir);
            } else {
                // Plain LoRA of rank 2r for the ORIGINAL base: no residual model to ship, no SVD at load time.
                PissaToLora.save(lora, adapterDir);
            }
            if (evalData != null) {
                out.add("eval_after", loss(LanguageModelLoss.evaluate(lm, evalData, batchSize)));
            }
            out.addProperty("method", method.name());
            if (method == Method.balora) {
                out.addProperty("preset", preset == Preset.nlg_iclr ? "nlg-iclr" : "nlg-dec2024");
            }
            out.addProperty("train_examples", trainData.size());
            out.addProperty("truncated", trainSet.truncated());
            out.addProperty("dropped", trainSet.dropped());
            out.addProperty("steps", result.steps());
            out.addProperty("skipped_steps", result.skippedSteps());
            out.addProperty("final_train_loss", result.lastLoss());
            out.addProperty("adapter", adapterDir.toString());
            out.addProperty("metrics", output.resolve("metrics.jsonl").toString());
            out.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
        }
        Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
        System.out.println(gson.toJson(out));
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

    /** Accepts the preset names with a dash. */
    static final class PresetConverter implements picocli.CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            return switch (value) {
                case "nlg-iclr" -> Preset.nlg_iclr;
                case "nlg-dec2024" -> Preset.nlg_dec2024;
                default -> throw new picocli.CommandLine.TypeConversionException("unknown preset '" + value
                        + "': nlg-iclr or nlg-dec2024");
            };
        }
    }
}
