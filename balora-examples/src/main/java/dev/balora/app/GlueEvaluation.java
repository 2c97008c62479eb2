package dev.balora.app;

import dev.balora.recipe.GlueClassifiers;
import dev.balora.recipe.GlueFiles;
import ai.djl.ndarray.NDManager;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.data.BatchOrder;
import dev.balora.data.EncodedDataset;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.eval.GlueEvaluator;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.model.bert.ClassifierPooling;
import dev.balora.train.SequenceClassificationTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Scores a saved adapter on a task's development files: base model + adapter (converted to LoRA if PiSSA). */
public final class GlueEvaluation {
    private static final int BATCH = 64;

    private GlueEvaluation() {}

    /**
     * What an evaluation found.
     *
     * @param byFile the metrics of each development file, by file name, main metric first
     * @param pooling what the head read (resolved, never AUTO)
     */
    public record Result(Map<String, Map<String, Double>> byFile, ClassifierPooling pooling) {}

    /**
     * Evaluates.
     *
     * @param modelDir the base model directory the adapter was trained on
     * @param adapter an adapter folder or a finetune output folder
     * @param task the task
     * @param files the task's files
     * @param maxLength tokens per example
     * @param pooling what the head read in training
     * @return the metrics of each development file and the head's pooling
     */
    public static Result evaluate(Path modelDir, Path adapter, GlueTask task,
            GlueFiles files, int maxLength, ClassifierPooling pooling) {
        List<Path> devFiles = files.devFiles();
        Path scratch = AdapterDirs.scratch();
        try (NDManager manager = NDManager.newBaseManager();
                TextEncoder encoder = GlueClassifiers.encoder(modelDir, maxLength)) {
            Path adapterDir = AdapterDirs.forOriginalBase(adapter, scratch);
            // The seed only matters for a head the adapter does not carry.
            BertForSequenceClassification model = GlueClassifiers.load(modelDir, task, 0, pooling, manager);
            PeftAdapter.load(model, adapterDir);
            SequenceClassificationTask predictor = SequenceClassificationTask.builder().setModel(model).build();
            Map<String, Map<String, Double>> out = new LinkedHashMap<>();
            for (Path file : devFiles) {
                EncodedDataset dev = GlueDatasets.load(task, file, encoder, BadRowPolicy.FAIL, BatchOrder.SORTED, 0);
                GlueEvaluator evaluator = new GlueEvaluator(task, dev, BATCH, predictor.predictor());
                try (NDManager sub = manager.newSubManager()) {
                    out.put(file.getFileName().toString(), evaluator.evaluate(sub));
                }
            }
            return new Result(out, model.pooling());
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
