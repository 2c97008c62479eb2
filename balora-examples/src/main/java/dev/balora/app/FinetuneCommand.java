package dev.balora.app;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.ModuleSelector;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.PissaToLora;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.data.BatchOrder;
import dev.balora.data.EncodedDataset;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.eval.GlueEvaluator;
import dev.balora.model.bert.BertConfig;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.regularizers.NluPreset;
import dev.balora.train.ReferenceCache;
import dev.balora.train.ScheduleKind;
import dev.balora.train.SequenceClassificationTask;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code balora finetune}: fine-tunes a BERT-family encoder on a GLUE task with LoRA, PiSSA or BA-LoRA; writes the
 * PEFT adapter, the PiSSA-to-LoRA converted adapter, metrics.jsonl, the loss curve and checkpoints under
 * {@code --out}, and prints a JSON summary.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune on a GLUE task with LoRA, PiSSA or BA-LoRA; prints a JSON summary.")
public final class FinetuneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|NAME", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "a model directory or an embedded model (default: ${DEFAULT-VALUE})")
    private String model;

    @Option(names = "--task", required = true, paramLabel = "TASK",
            description = "sst2, cola, mrpc, qqp, stsb, mnli, qnli, rte or wnli")
    private String task;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "the task's GLUE folder (with train.tsv and dev.tsv) or the GLUE root")
    private Path data;

    @Option(names = "--method", defaultValue = "balora", paramLabel = "lora|pissa|balora",
            description = "adapter method (default: ${DEFAULT-VALUE})")
    private String method;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue a checkpointed run (its --out folder)")
    private Path resume;

    @Option(names = "--rank", defaultValue = "8", description = "LoRA rank r (default: ${DEFAULT-VALUE})")
    private int rank;

    @Option(names = "--alpha", description = "LoRA alpha (default: the rank)")
    private Double alpha;

    @Option(names = "--targets", defaultValue = "all-linear",
            description = "target modules: all-linear, a comma list or a regex (default: ${DEFAULT-VALUE})")
    private String targets;

    @Option(names = "--lr", defaultValue = "5e-4", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    private float learningRate;

    @Option(names = "--epochs", defaultValue = "1", description = "epochs (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--max-steps", defaultValue = "-1", description = "optimizer steps, overriding epochs")
    private int maxSteps;

    @Option(names = "--batch-size", defaultValue = "32", description = "micro-batch size (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--grad-accum", defaultValue = "1", description = "micro-batches per step")
    private int gradAccum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay")
    private float weightDecay;

    @Option(names = "--schedule", defaultValue = "linear", description = "constant, linear or cosine")
    private String schedule;

    @Option(names = "--warmup-ratio", defaultValue = "0.06", description = "warm-up fraction of the steps")
    private double warmupRatio;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "global-norm clipping, 0 = off")
    private double maxGradNorm;

    @Option(names = "--max-length", defaultValue = "128", description = "tokens per example")
    private int maxLength;

    @Option(names = "--eval-every", defaultValue = "0", description = "evaluate every N steps (and each epoch)")
    private int evalEvery;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "checkpoint every N steps")
    private int checkpointEvery;

    @Option(names = "--preset", defaultValue = "early-script",
            description = "BA-LoRA NLU weights: early-script (0.1, 0.01, 0.01, k=5) or cyp-jlu-ai (1e-4, 3e-4, 1e-4, k=3)")
    private String preset;

    @Option(names = "--train-limit", defaultValue = "0", description = "use only the first N training rows")
    private int trainLimit;

    @Option(names = "--skip-bad-rows", description = "skip malformed rows (reported with file and line)")
    private boolean skipBadRows;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() {
        GlueTask glueTask = GlueTask.parse(task);
        String m = method.toLowerCase(Locale.ROOT);
        if (!List.of("lora", "pissa", "balora").contains(m)) {
            throw new IllegalArgumentException("--method must be lora, pissa or balora, got " + method);
        }
        Path glueRoot = data.resolve("train.tsv").toFile().isFile() ? data.toAbsolutePath().getParent() : data;
        Path modelDir = ModelResolver.resolve(model);
        BadRowPolicy policy = skipBadRows ? BadRowPolicy.SKIP : BadRowPolicy.FAIL;
        try (HfCheckpoint ckpt = HfCheckpoint.open(modelDir); NDManager manager = NDManager.newBaseManager();
                TextEncoder enc = TextEncoder.fromFile(ckpt.tokenizerFile().orElseThrow(
                        () -> new IllegalArgumentException(modelDir + " has no tokenizer.json")), maxLength)) {
            JsonObject cfg = ckpt.config().deepCopy();
            cfg.addProperty("num_labels", glueTask.numLabels());
            if (glueTask.numLabels() == 1) {
                cfg.addProperty("problem_type", "regression");
            }
            BertForSequenceClassification classifier = BertForSequenceClassification.load(
                    BertConfig.parse(modelDir.resolve(HfCheckpoint.CONFIG), cfg), ckpt.tensors(), manager, seed);
            AdapterConfig adapterConfig = AdapterConfig.builder().setTargets(ModuleSelector.parse(targets))
                    .optRank(rank).optAlpha(alpha != null ? alpha : rank).optDropout(0)
                    .optInit(m.equals("lora") ? InitMethod.LORA : InitMethod.PISSA).optSeed(seed)
                    .optTaskType("SEQ_CLS").optBaseModelNameOrPath(model)
                    .optModulesToSave(List.copyOf(classifier.outputHeadPaths())).build();
            LoraModel lora = LoraModel.attach(classifier, adapterConfig);
            EncodedDataset train = GlueDatasets.load(glueTask, glueTask.trainFile(glueRoot), enc, policy,
                    BatchOrder.BUCKETED, trainLimit);
            EncodedDataset dev = GlueDatasets.load(glueTask, glueTask.devFile(glueRoot), enc, policy,
                    BatchOrder.SORTED, 0);
            WeightedObjective objective = null;
            if (m.equals("balora")) {
                NluPreset p = switch (preset) {
                    case "early-script" -> BaLoraPresets.nluEarlyScript();
                    case "cyp-jlu-ai" -> BaLoraPresets.nluCypJluAi();
                    default -> throw new IllegalArgumentException("--preset must be early-script or cyp-jlu-ai");
                };
                objective = p.build();
            }
            SequenceClassificationTask st = SequenceClassificationTask.builder().setModel(classifier)
                    .optObjective(objective).optReferenceCache(new ReferenceCache(256L << 20)).build();
            GlueEvaluator evaluator = new GlueEvaluator(glueTask, dev, 64, st.predictor());
            TrainerConfig config = TrainerConfig.builder().setBatchSize(batchSize).setLearningRate(learningRate)
                    .optEpochs(epochs).optMaxSteps(maxSteps).optGradientAccumulation(gradAccum)
                    .optWeightDecay(weightDecay).optSchedule(ScheduleKind.valueOf(schedule.toUpperCase(Locale.ROOT)))
                    .optWarmupRatio(warmupRatio).optMaxGradNorm(maxGradNorm).optEvalEvery(evalEvery)
                    .optCheckpointEvery(checkpointEvery).optSeed(seed).optOutputDir(out)
                    .optProgressBar(false) // DJL's bar writes to stdout, which carries the JSON
                    .build();
            TrainingResult result;
            Trainer.Builder tb = Trainer.builder().setModel(classifier).setTask(st).setTrainData(train)
                    .setConfig(config).optEvaluation(evaluator::evaluate);
            if (resume != null) {
                tb.optResumeFrom(resume);
            }
            try (Trainer trainer = tb.build()) {
                result = trainer.fit();
            }
            PeftAdapter.save(lora, out.resolve("adapter"));
            if (adapterConfig.init().writesResidual()) {
                PissaToLora.save(lora, out.resolve("adapter-lora"));
            }
            JsonObject summary = new JsonObject();
            summary.addProperty("task", glueTask.name().toLowerCase(Locale.ROOT));
            summary.addProperty("method", m);
            summary.addProperty("model", model);
            summary.addProperty("train_examples", train.size());
            summary.addProperty("dev_examples", dev.size());
            summary.addProperty("trainable_parameters", lora.parameterCount().toString());
            summary.addProperty("steps", result.steps());
            summary.addProperty("skipped_steps", result.skippedSteps());
            summary.addProperty("seconds", result.seconds());
            summary.add("dev", new GsonBuilder().create().toJsonTree(result.lastEvaluation()));
            summary.addProperty("output", out.toAbsolutePath().toString());
            String json = new GsonBuilder().setPrettyPrinting().create().toJson(summary);
            AtomicFiles.writeString(out.resolve("summary.json"), json + "\n");
            spec.commandLine().getOut().println(json);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
