package dev.balora.examples;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
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
import dev.balora.objective.WeightSchedule;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import dev.balora.train.ReferenceCache;
import dev.balora.train.SequenceClassificationTask;
import dev.balora.train.StepRecord;
import dev.balora.train.Trainer;
import dev.balora.train.TrainerConfig;
import dev.balora.train.TrainingListener;
import dev.balora.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes all-MiniLM-L6-v2 on a small SST-2 subset with BA-LoRA (PiSSA adapters plus the three BA-LoRA
 * regularizers) through the Trainer API, and saves the adapter in PEFT's format.
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.FineTuneSst2 [glue-dir] [output-dir] [train-examples]}
 * (defaults {@code ../shared/data/glue}, {@code runs/sst2-balora}, 1024). For every option and task see
 * {@link FineTuneGlue}.
 */
public final class FineTuneSst2 {

    private FineTuneSst2() {}

    /**
     * Trains and prints the SST-2 dev accuracy before and after.
     *
     * @param args optional GLUE folder, output folder and number of training sentences
     */
    public static void main(String[] args) {
        Path glue = Path.of(args.length > 0 ? args[0] : "../shared/data/glue");
        Path out = Path.of(args.length > 1 ? args[1] : "runs/sst2-balora");
        int trainExamples = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        Map<String, Double> after = run(glue, out, trainExamples, 0);
        System.out.println("adapter and metrics.jsonl written to " + out.toAbsolutePath() + "; dev " + after);
    }

    /**
     * Fine-tunes for one epoch.
     *
     * @param trainExamples how many training sentences, from the top of train.tsv
     * @param devExamples dev sentences evaluated (0 = all 872)
     * @return the dev metrics after training
     */
    public static Map<String, Double> run(Path glue, Path out, int trainExamples, int devExamples) {
        Path modelDir = ModelResolver.resolve(ModelResolver.DEFAULT_MODEL);
        try (HfCheckpoint checkpoint = HfCheckpoint.open(modelDir);
                NDManager manager = NDManager.newBaseManager();
                TextEncoder tokens = TextEncoder.fromFile(modelDir.resolve(HfCheckpoint.TOKENIZER), 64)) {
            // The encoder's weights plus a new, seeded two-way classification head.
            JsonObject config = checkpoint.config().deepCopy();
            config.addProperty("num_labels", 2);
            BertForSequenceClassification model = BertForSequenceClassification.load(
                    BertConfig.parse(modelDir.resolve(HfCheckpoint.CONFIG), config), checkpoint.tensors(), manager, 42);

            // PiSSA adapters on the attention; the new head is trained in full (PEFT's modules_to_save).
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("query", "key", "value")
                    .optRank(8).optAlpha(8).optInit(InitMethod.PISSA).optTaskType("SEQ_CLS")
                    .optModulesToSave(List.copyOf(model.outputHeadPaths())).build());
            System.out.println(lora.parameterCount());

            // Tokenized once; training batches are bucketed by length (less padding), dev is sorted.
            EncodedDataset train = GlueDatasets.load(GlueTask.SST2, GlueTask.SST2.trainFile(glue), tokens,
                    BadRowPolicy.FAIL, BatchOrder.BUCKETED, trainExamples);
            EncodedDataset dev = GlueDatasets.load(GlueTask.SST2, GlueTask.SST2.devFile(glue), tokens,
                    BadRowPolicy.FAIL, BatchOrder.SORTED, devExamples);

            // BA-LoRA: cross-entropy plus consistency with the frozen model and diversity of the outputs, weighted
            // as in the authors' SST-2 script. Their third term, the top-5 singular-value share of the [batch, 2]
            // logits, is constant with two classes, so it is left out. The frozen model's outputs are cached:
            // each sentence costs one reference pass in the whole run.
            WeightedObjective objective = BaLoraPresets.nluEarlyScript().optSvd(0, WeightSchedule.constant()).build();
            SequenceClassificationTask task = SequenceClassificationTask.builder().setModel(model)
                    .optObjective(objective)
                    .optReferenceCache(new ReferenceCache(64L << 20)).build();
            GlueEvaluator evaluator = new GlueEvaluator(GlueTask.SST2, dev, 64, task.predictor());
            System.out.println("dev before training: " + evaluator.evaluate(manager));

            TrainerConfig trainerConfig = TrainerConfig.builder().setBatchSize(16).setLearningRate(1e-3f)
                    .optEpochs(1).optWarmupRatio(0.1).optSeed(42).optOutputDir(out).optLogEvery(10).build();
            TrainingListener progress = new TrainingListener() {
                @Override
                public void onStep(StepRecord r) {
                    if (r.step() % 10 == 0) {
                        System.out.printf("step %d  loss %.4f  %s%n", r.step(), r.loss(), r.terms());
                    }
                }
            };
            TrainingResult result;
            try (Trainer trainer = Trainer.builder().setModel(model).setTask(task).setTrainData(train)
                    .setConfig(trainerConfig).optEvaluation(evaluator::evaluate).optListener(progress).build()) {
                result = trainer.fit();
            }
            System.out.printf("%d steps in %.1f s%n", result.steps(), result.seconds());

            // adapter_model.safetensors + adapter_config.json, loadable by PEFT on the residual model, or
            // convertible to plain LoRA with PissaToLora.
            PeftAdapter.save(lora, out.resolve("adapter"));
            return result.lastEvaluation();
        }
    }
}
