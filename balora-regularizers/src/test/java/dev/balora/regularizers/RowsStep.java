package dev.balora.regularizers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.RowGradient;
import dev.balora.objective.TokenLayout;
import dev.balora.objective.WeightedObjective;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark helper (not a test): one NLG step with the LM head as a Linear 512 -> V, in the two ways the causal-LM
 * task can run it: whole logits [B, T, V] with autograd cross-entropy and one graph node per term (the path before
 * the cost work of issue 7), and head-on-rows (only the rows the losses read), hand-built cross-entropy, reference
 * log-probabilities precomputed by the terms, one shared gradient node. Each with and without the terms,
 * interleaved; medians of the calling thread's CPU time.
 */
final class RowsStep {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RowsStep() {}

    static void compare(NDManager root, int batch, int time, int in, int vocab, int reps, WeightedObjective objective) {
        Random r = new Random(7);
        NDArray x = root.create(gaussian(r, (long) batch * time * in, 1), new Shape(batch, time, in));
        NDArray w = root.create(gaussian(r, (long) vocab * in, 1 / Math.sqrt(in)), new Shape(vocab, in));
        NDArray wRef = w.add(root.create(gaussian(r, (long) vocab * in, 0.01 / Math.sqrt(in)), new Shape(vocab, in)));
        w.setRequiresGradient(true);
        long[] ids = new long[batch * time];
        for (int b = 0; b < batch; b++) {
            int prompt = time / 4;
            for (int t = 0; t < time; t++) {
                ids[b * time + t] = t < prompt ? ShiftedCrossEntropy.IGNORE_INDEX : r.nextInt(vocab);
            }
        }
        NDArray labels = root.create(ids, new Shape(batch, time));
        TokenLayout layout = new TokenLayout(batch, time, ids, ShiftedCrossEntropy.IGNORE_INDEX, null);
        boolean[] union = layout.shiftedTargets();
        for (WeightedObjective.Entry e : objective.entries()) {
            boolean[] read = e.regularizer().positionsRead(layout);
            for (int i = 0; i < union.length; i++) {
                union[i] |= read == null || read[i];
            }
        }
        int n = 0;
        for (boolean u : union) {
            n += u ? 1 : 0;
        }
        int[] positions = new int[n];
        long[] rowIndex = new long[n];
        long[] targets = new long[n];
        for (int i = 0, j = 0; i < union.length; i++) {
            if (union[i]) {
                positions[j] = i;
                rowIndex[j] = i;
                targets[j++] = i % time + 1 < time ? ids[i + 1] : ShiftedCrossEntropy.IGNORE_INDEX;
            }
        }
        NDArray rowIdx = root.create(rowIndex);
        NDArray refLogits = x.matMul(wRef.transpose()); // [B, T, V], the whole-logits reference
        NDArray refRows = x.reshape((long) batch * time, in).get(rowIdx).matMul(wRef.transpose()); // [N, V]
        System.out.printf(Locale.ROOT, "== rows: [%d x %d, %d], %d of %d positions read; thread CPU ms, medians of %d%n",
                batch, time, vocab, n, batch * time, reps);
        String[] names = {"whole logits, task only", "whole logits + terms", "rows, task only", "rows + terms"};
        double[][] cpu = new double[4][reps];
        for (int i = -2; i < reps; i++) {
            for (int v = 0; v < 4; v++) {
                WeightedObjective o = v % 2 == 1 ? objective : null;
                long c0 = THREADS.getCurrentThreadCpuTime();
                if (v < 2) {
                    whole(root, x, w, labels, refLogits, o);
                } else {
                    rows(root, x, w, labels, rowIdx, positions, targets, refRows, o, batch, time);
                }
                long c1 = THREADS.getCurrentThreadCpuTime();
                if (i >= 0) {
                    cpu[v][i] = (c1 - c0) / 1e6;
                }
            }
        }
        double[] med = new double[4];
        for (int v = 0; v < 4; v++) {
            double[] c = cpu[v].clone();
            Arrays.sort(c);
            med[v] = c[reps / 2];
            System.out.printf(Locale.ROOT, "  %-26s %9.1f ms%n", names[v], med[v]);
        }
        System.out.printf(Locale.ROOT, "  terms' extra CPU: whole logits %+.1f ms (%.1f %% of its task-only step), rows"
                + " %+.1f ms (%.1f %%)%n", med[1] - med[0], 100 * (med[1] - med[0]) / med[0], med[3] - med[2],
                100 * (med[3] - med[2]) / med[2]);
    }

    /** Whole logits, autograd cross-entropy, the terms on RegularizerInput.setLogits. */
    private static void whole(NDManager root, NDArray x, NDArray w, NDArray labels, NDArray refLogits,
            WeightedObjective objective) {
        try (NDManager s = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray xs = x.duplicate();
            xs.attach(s);
            NDArray logits = xs.matMul(w.transpose());
            NDArray task = ShiftedCrossEntropy.mean(logits, labels);
            NDArray total = objective == null ? task : objective.evaluate(task, RegularizerInput.builder()
                    .setLogits(logits).optReferenceLogits(refLogits).optLabels(labels).optStep(900, 1000).build())
                    .total();
            gc.backward(total);
            total.getFloat();
        }
    }

    /** Head on the rows, hand-built cross-entropy, precomputed reference values, one shared node. */
    private static void rows(NDManager root, NDArray x, NDArray w, NDArray labels, NDArray rowIdx, int[] positions,
            long[] targets, NDArray refRows, WeightedObjective objective, int batch, int time) {
        try (NDManager s = root.newSubManager()) {
            Map<String, NDArray> values = new HashMap<>();
            if (objective != null) {
                // What the reference pass derives, outside the collector (counted in the step).
                RegularizerInput refIn = RegularizerInput.builder().setLogitRows(refRows, positions, batch, time)
                        .optLabels(labels).optStep(900, 1000).build();
                for (WeightedObjective.Entry e : objective.entries()) {
                    values.putAll(e.regularizer().referenceValues(refIn));
                }
                values.values().forEach(v -> v.attach(s));
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray xs = x.duplicate();
                xs.attach(s);
                NDArray hidden = xs.reshape(-1, xs.getShape().get(2)).get(rowIdx);
                NDArray logits = hidden.matMul(w.transpose());
                RowGradient ce = ShiftedCrossEntropy.meanRowsByHand(logits, targets);
                NDArray total = objective == null ? RowGradient.attach(logits, ce.gradient(), ce.value())
                        : objective.evaluate(ce, RegularizerInput.builder().setLogitRows(logits, positions, batch, time)
                                .optReferenceLogits(refRows).optReferenceValues(values).optLabels(labels)
                                .optStep(900, 1000).build()).total();
                gc.backward(total);
                total.getFloat();
            }
        }
    }

    private static float[] gaussian(Random r, long n, double scale) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }
}
