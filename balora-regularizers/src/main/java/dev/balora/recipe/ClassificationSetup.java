package dev.balora.recipe;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.balora.data.BatchOrder;
import dev.balora.data.BatchSource;
import dev.balora.data.Collator;
import dev.balora.data.EncodedDataset;
import dev.balora.data.EncodedExample;
import dev.balora.data.LabelType;
import dev.balora.data.TextEncoder;
import dev.balora.data.glue.GlueDatasets;
import dev.balora.data.glue.GlueTask;
import dev.balora.eval.GlueEvaluator;
import dev.balora.model.PretrainedModel;
import dev.balora.model.bert.BertForSequenceClassification;
import dev.balora.objective.WeightedObjective;
import dev.balora.train.Evaluation;
import dev.balora.train.ReferenceCache;
import dev.balora.train.SequenceClassificationTask;
import dev.balora.train.TrainingTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** A BERT-family classifier on a GLUE task (or on fixed random token ids, for benchmarks). */
final class ClassificationSetup implements TaskSetup {
    private static final int EVAL_BATCH = 64;

    private final NDManager manager;
    private final BertForSequenceClassification model;
    private final GlueTask glue;
    private final BatchSource train;
    private final EncodedDataset dev;
    private final long referenceCacheBytes;
    private SequenceClassificationTask task;

    private ClassificationSetup(NDManager manager, BertForSequenceClassification model, GlueTask glue,
            BatchSource train, EncodedDataset dev, long referenceCacheBytes) {
        this.manager = manager;
        this.model = model;
        this.glue = glue;
        this.train = train;
        this.dev = dev;
        this.referenceCacheBytes = referenceCacheBytes;
    }

    /** Tokenizes the data, then loads the encoder with a head shaped for the task. */
    static ClassificationSetup open(RecipeSettings s, Path modelDir, Device device, long referenceCacheBytes) {
        TaskSettings t = s.task();
        GlueTask glue = t.randomTokens() ? GlueTask.SST2 : t.glueTask();
        BatchSource train;
        EncodedDataset dev = null;
        if (t.randomTokens()) {
            train = null;
        } else {
            GlueFiles files = GlueFiles.locate(glue, t.dataPath());
            try (TextEncoder encoder = GlueClassifiers.encoder(modelDir, t.maxLength())) {
                train = GlueDatasets.load(glue, files.train(), encoder, t.badRowPolicy(), BatchOrder.BUCKETED,
                        t.trainLimit());
                dev = GlueDatasets.load(glue, files.dev(), encoder, t.badRowPolicy(), BatchOrder.SORTED,
                        t.evalLimit());
            }
        }
        NDManager manager = NDManager.newBaseManager(device);
        try {
            BertForSequenceClassification model = GlueClassifiers.load(modelDir, glue, s.seed(),
                    t.classifierPooling(), manager);
            if (train == null) {
                train = randomTokens(t.trainLimit(), t.maxLength(), model.config().vocabSize(), s.seed());
            }
            return new ClassificationSetup(manager, model, glue, train, dev, referenceCacheBytes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Fixed random ids in [1000, vocab), every position real: padding plays no part in a benchmark. */
    private static EncodedDataset randomTokens(int examples, int length, int vocabSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int low = Math.min(1000, vocabSize - 1);
        List<EncodedExample> out = new ArrayList<>();
        for (int i = 0; i < examples; i++) {
            long[] ids = new long[length];
            for (int p = 0; p < length; p++) {
                ids[p] = random.nextInt(low, vocabSize);
            }
            out.add(new EncodedExample(ids, new long[length], i % 2));
        }
        return new EncodedDataset(out, new Collator(0, 1, LabelType.CLASSIFICATION), BatchOrder.SEQUENTIAL, 1);
    }

    @Override
    public PretrainedModel model() {
        return model;
    }

    @Override
    public BatchSource trainData() {
        return train;
    }

    @Override
    public int evalExamples() {
        return dev == null ? 0 : dev.size();
    }

    @Override
    public TrainingTask trainingTask(WeightedObjective objective) {
        SequenceClassificationTask.Builder b = SequenceClassificationTask.builder().setModel(model)
                .optObjective(objective);
        if (objective != null && referenceCacheBytes > 0) {
            // The reference pass has no dropout and frozen weights: an example's outputs never change.
            b.optReferenceCache(new ReferenceCache(referenceCacheBytes));
        }
        task = b.build();
        return task;
    }

    @Override
    public Evaluation evaluation() {
        if (dev == null) {
            return null;
        }
        GlueEvaluator evaluator = new GlueEvaluator(glue, dev, EVAL_BATCH, predictingTask().predictor());
        return evaluator::evaluate;
    }

    private SequenceClassificationTask predictingTask() {
        return task != null ? task : SequenceClassificationTask.builder().setModel(model).build();
    }

    /** The classifier's predictions with the current adapters. */
    dev.balora.eval.Predictor predictor() {
        return predictingTask().predictor();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("classifier_pooling", model.pooling().name().toLowerCase(Locale.ROOT));
        d.put("num_labels", model.config().numLabels());
        return d;
    }

    @Override
    public void close() {
        manager.close();
    }
}
