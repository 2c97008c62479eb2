package dev.balora.eval;

/** Accuracy, binary F1 and the Matthews correlation coefficient of predicted against true class ids. */
public final class ClassificationMetrics {

    private ClassificationMetrics() {}

    /** Fraction of predictions equal to the labels. */
    public static double accuracy(int[] predictions, int[] labels) {
        check(predictions, labels);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) {
                right++;
            }
        }
        return (double) right / labels.length;
    }

    /**
     * F1 of one class taken as positive: 2 TP / (2 TP + FP + FN); 0 when there are no true or predicted positives
     * (scikit-learn's {@code zero_division=0}).
     */
    public static double f1(int[] predictions, int[] labels, int positive) {
        check(predictions, labels);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean p = predictions[i] == positive;
            boolean t = labels[i] == positive;
            if (p && t) {
                tp++;
            } else if (p) {
                fp++;
            } else if (t) {
                fn++;
            }
        }
        long denom = 2 * tp + fp + fn;
        return denom == 0 ? 0.0 : 2.0 * tp / denom;
    }

    /**
     * The Matthews correlation coefficient, in its multi-class form (Gorodkin's R_K, which scikit-learn uses and
     * which equals the binary (TP TN - FP FN) / sqrt(...) for two classes); 0 when it is undefined (a constant
     * prediction or a constant label).
     */
    public static double matthews(int[] predictions, int[] labels) {
        check(predictions, labels);
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] < 0 || labels[i] < 0) {
                throw new IllegalArgumentException("class ids must be >= 0, found a negative one at " + i);
            }
            k = Math.max(k, Math.max(predictions[i], labels[i]) + 1);
        }
        long[] truePerClass = new long[k];
        long[] predPerClass = new long[k];
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            truePerClass[labels[i]]++;
            predPerClass[predictions[i]]++;
            if (predictions[i] == labels[i]) {
                correct++;
            }
        }
        double n = labels.length;
        double tp = 0;
        double pp = 0;
        double tt = 0;
        for (int c = 0; c < k; c++) {
            tp += (double) truePerClass[c] * predPerClass[c];
            pp += (double) predPerClass[c] * predPerClass[c];
            tt += (double) truePerClass[c] * truePerClass[c];
        }
        double cov = correct * n - tp;
        double denom = Math.sqrt((n * n - pp) * (n * n - tt));
        return denom == 0 ? 0.0 : cov / denom;
    }

    /** Index of the largest value of each row of row-major logits [n, classes]. */
    public static int[] argmax(float[] logits, int classes) {
        if (classes < 1 || logits.length % classes != 0) {
            throw new IllegalArgumentException(logits.length + " logits do not split into rows of " + classes);
        }
        int[] out = new int[logits.length / classes];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[r * classes + c] > logits[r * classes + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    private static void check(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(predictions.length + " predictions but " + labels.length + " labels");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no predictions to score");
        }
    }
}
