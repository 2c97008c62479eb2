package dev.balora.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.data.Batch;
import dev.balora.data.EncodedDataset;
import dev.balora.data.glue.GlueTask;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a model on a GLUE development set with the task's official metrics. Batches are sorted by length
 * (least padding); predictions are put back in dataset order before scoring.
 *
 * <p>Its {@link #evaluate(NDManager)} fits the trainer's {@code Evaluation} contract:
 * {@code .optEvaluation(evaluator::evaluate)}.
 */
public final class GlueEvaluator {
    private final GlueTask task;
    private final EncodedDataset data;
    private final int batchSize;
    private final Predictor predictor;

    /**
     * Creates an evaluator.
     *
     * @param task the GLUE task (metric choice, classes or regression)
     * @param data the encoded development set
     * @param batchSize examples per forward pass
     * @param predictor runs the model
     */
    public GlueEvaluator(GlueTask task, EncodedDataset data, int batchSize, Predictor predictor) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.task = Objects.requireNonNull(task);
        this.data = Objects.requireNonNull(data);
        this.batchSize = batchSize;
        this.predictor = Objects.requireNonNull(predictor);
    }

    /**
     * Predicts the whole set and scores it.
     *
     * @param manager the parent of a per-batch sub-manager
     * @return the task's metrics, main metric first
     */
    public Map<String, Double> evaluate(NDManager manager) {
        int n = data.size();
        int outputs = task.numLabels();
        float[] predictions = new float[n * outputs];
        List<int[]> plan = data.plan(batchSize, 0, 0);
        for (int[] indices : plan) {
            try (NDManager sub = manager.newSubManager()) {
                Batch batch = data.load(indices, sub);
                NDArray out = predictor.predict(batch);
                long expected = (long) indices.length * outputs;
                if (out.getShape().size() != expected) {
                    throw new IllegalStateException("the predictor returned shape " + out.getShape() + " for "
                            + indices.length + " examples of " + task + ", which needs " + outputs + " output(s) each");
                }
                float[] values = out.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < indices.length; i++) {
                    System.arraycopy(values, i * outputs, predictions, indices[i] * outputs, outputs);
                }
            }
        }
        if (outputs == 1) {
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = data.get(i).label();
            }
            return GlueScores.regression(task, predictions, labels);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (int) data.get(i).label();
        }
        return GlueScores.classification(task, ClassificationMetrics.argmax(predictions, outputs), labels);
    }
}
