package dev.balora.examples;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.ModuleSelector;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.app.ModelResolver;
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
import dev.balora.train.ReferenceCache;
import dev.balora.train.ScheduleKind;
import dev.balora.train.SequenceClassificationTask;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingResult;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes a BERT-family encoder on a GLUE task with LoRA, PiSSA or BA-LoRA and prints a JSON summary.
 *
 * <pre>
 * java -cp balora.jar dev.balora.examples.FineTuneGlue task=sst2 method=balora glue=../shared/data/glue \
 *     train-limit=4000 epochs=1 lr=5e-4 rank=8 batch=32 out=runs/sst2-balora
 * </pre>
 *
 * Every argument is optional ({@code key=value}); the model defaults to the embedded all-MiniLM-L6-v2.
 */
public final class FineTuneGlue {

    private FineTuneGlue() {}

    /** Runs the example. */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        GlueTask task = GlueTask.parse(a.getOrDefault("task", "sst2"));
        String method = a.getOrDefault("method", "balora");
        Path glue = Paths.get(a.getOrDefault("glue", "../shared/data/glue"));
        Path out = Paths.get(a.getOrDefault("out", "runs/" + task.name().toLowerCase() + "-" + method));
        int rank = Integer.parseInt(a.getOrDefault("rank", "8"));
        int maxLength = Integer.parseInt(a.getOrDefault("max-length", "64"));
        Path modelDir = ModelResolver.resolve(a.getOrDefault("model", ModelResolver.DEFAULT_MODEL));

        try (HfCheckpoint ckpt = HfCheckpoint.open(modelDir); NDManager manager = NDManager.newBaseManager();
                TextEncoder enc = TextEncoder.fromFile(ckpt.tokenizerFile().orElseThrow(
                        () -> new IllegalArgumentException(modelDir + " has no tokenizer.json")), maxLength)) {
            JsonObject cfg = ckpt.config().deepCopy();
            cfg.addProperty("num_labels", task.numLabels());
            BertForSequenceClassification model = BertForSequenceClassification.load(
                    BertConfig.parse(modelDir.resolve(HfCheckpoint.CONFIG), cfg), ckpt.tensors(), manager, 42);
            InitMethod init = method.equals("lora") ? InitMethod.LORA : InitMethod.PISSA;
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets(ModuleSelector.allLinear())
                    .optRank(rank).optAlpha(rank).optDropout(0).optInit(init)
                    .optModulesToSave(List.copyOf(model.outputHeadPaths())).build());

            EncodedDataset train = GlueDatasets.load(task, task.trainFile(glue), enc, BadRowPolicy.SKIP,
                    BatchOrder.BUCKETED, Integer.parseInt(a.getOrDefault("train-limit", "0")));
            EncodedDataset dev = GlueDatasets.load(task, task.devFile(glue), enc, BadRowPolicy.SKIP,
                    BatchOrder.SORTED, Integer.parseInt(a.getOrDefault("dev-limit", "0")));
            WeightedObjective objective = method.equals("balora") ? BaLoraPresets.nluEarlyScript().build() : null;
            SequenceClassificationTask st = SequenceClassificationTask.builder().setModel(model)
                    .optObjective(objective).optReferenceCache(new ReferenceCache(256L << 20)).build();
            GlueEvaluator evaluator = new GlueEvaluator(task, dev, 64, st.predictor());
            TrainerConfig config = TrainerConfig.builder()
                    .setBatchSize(Integer.parseInt(a.getOrDefault("batch", "32")))
                    .setLearningRate(Float.parseFloat(a.getOrDefault("lr", "5e-4")))
                    .optEpochs(Integer.parseInt(a.getOrDefault("epochs", "1")))
                    .optWarmupRatio(Double.parseDouble(a.getOrDefault("warmup", "0.06")))
                    .optSchedule(ScheduleKind.valueOf(a.getOrDefault("schedule", "linear").toUpperCase()))
                    .optEvalEvery(Integer.parseInt(a.getOrDefault("eval-every", "0")))
                    .optSeed(Long.parseLong(a.getOrDefault("seed", "42")))
                    .optOutputDir(out).build();
            TrainingResult result;
            try (Trainer trainer = Trainer.builder().setModel(model).setTask(st).setTrainData(train)
                    .setConfig(config).optEvaluation(evaluator::evaluate).build()) {
                result = trainer.fit();
            }
            PeftAdapter.save(lora, out.resolve("adapter"));
            JsonObject summary = new JsonObject();
            summary.addProperty("task", task.name().toLowerCase());
            summary.addProperty("method", method);
            summary.addProperty("train_examples", train.size());
            summary.addProperty("dev_examples", dev.size());
            summary.addProperty("trainable_parameters", lora.parameterCount().toString());
            summary.addProperty("steps", result.steps());
            summary.addProperty("seconds", result.seconds());
            summary.add("dev", new GsonBuilder().create().toJsonTree(result.lastEvaluation()));
            summary.addProperty("output", out.toAbsolutePath().toString());
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(summary));
        }
    }
}
