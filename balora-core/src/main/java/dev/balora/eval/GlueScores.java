package dev.balora.eval;

import dev.balora.data.glue.GlueTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The official metrics of each GLUE task and their computation from predictions. */
public final class GlueScores {

    private GlueScores() {}

    /** The metrics GLUE reports for a task; the first is the one a run is selected by. */
    public static List<GlueMetric> metrics(GlueTask task) {
        switch (task) {
            case COLA:
                return List.of(GlueMetric.MATTHEWS);
            case MRPC:
            case QQP:
                return List.of(GlueMetric.F1, GlueMetric.ACCURACY);
            case STSB:
                return List.of(GlueMetric.PEARSON, GlueMetric.SPEARMAN);
            default:
                return List.of(GlueMetric.ACCURACY);
        }
    }

    /**
     * Scores class predictions of a classification task.
     *
     * @param task a classification task
     * @param predictions predicted class ids
     * @param labels true class ids
     * @return metric key to value, in {@link #metrics(GlueTask)} order
     */
    public static Map<String, Double> classification(GlueTask task, int[] predictions, int[] labels) {
        if (task.numLabels() < 2) {
            throw new IllegalArgumentException(task + " is a regression task: use regression(...)");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (GlueMetric m : metrics(task)) {
            double v;
            switch (m) {
                case ACCURACY:
                    v = ClassificationMetrics.accuracy(predictions, labels);
                    break;
                case F1:
                    v = ClassificationMetrics.f1(predictions, labels, 1);
                    break;
                case MATTHEWS:
                    v = ClassificationMetrics.matthews(predictions, labels);
                    break;
                default:
                    throw new IllegalStateException(m + " is not a classification metric");
            }
            out.put(m.key(), v);
        }
        return out;
    }

    /**
     * Scores predicted scores of a regression task (STS-B): Pearson and Spearman.
     *
     * @param task a regression task
     * @param predictions predicted scores
     * @param labels true scores
     * @return pearson and spearman
     */
    public static Map<String, Double> regression(GlueTask task, float[] predictions, float[] labels) {
        if (task.numLabels() != 1) {
            throw new IllegalArgumentException(task + " is a classification task: use classification(...)");
        }
        if (predictions.length != labels.length || labels.length < 2) {
            throw new IllegalArgumentException("need equally many (>= 2) predictions and labels, got "
                    + predictions.length + " and " + labels.length);
        }
        double[] x = new double[predictions.length];
        double[] y = new double[labels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = predictions[i];
            y[i] = labels[i];
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(GlueMetric.PEARSON.key(), Correlation.pearson(x, y));
        out.put(GlueMetric.SPEARMAN.key(), Correlation.spearman(x, y));
        return out;
    }
}
