package dev.balora.regularizers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark, not a test (its name has no test methods): forward+backward time of each regularizer next to the
 * forward+backward of a Linear that produces such logits, and the overhead of a whole preset on that step.
 *
 * <p>Run: {@code mvn -o -B -q -pl balora-regularizers -am test-compile} then
 * {@code java -cp <test classpath> dev.balora.regularizers.RegularizerBenchmark [reps [smoke|nlu|iclr|rows]]}; on a shared machine set
 * {@code OMP_NUM_THREADS=1}: with more threads than free cores, every parallel op waits at its barrier. Medians in ms, wall
 * time and the calling thread's CPU time.
 */
public final class RegularizerBenchmark {
    private static final Random RNG = new Random(7);
    // CPU time of the calling thread: with OMP_NUM_THREADS=1 every op (backward included) runs on it, and CPU time
    // is far less sensitive than wall time to the other processes of a loaded machine.
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static double lastCpuMedian;

    private RegularizerBenchmark() {}

    /** Entry point; the optional argument is the number of measured repetitions (default 7, after 2 warm-ups). */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        // "smoke": the same code on small NLG shapes, to check the benchmark runs before spending the machine on it.
        boolean smoke = args.length > 1 && args[1].equals("smoke");
        // "nlu": only the NLU section (milliseconds: worth many repetitions on a loaded machine).
        boolean nluOnly = args.length > 1 && args[1].equals("nlu");
        // "iclr": NLU and the ICLR preset only (the December-2024 nuclear norm is the slow one).
        boolean iclrOnly = args.length > 1 && args[1].equals("iclr");
        // "rows": the ICLR step as the causal-LM task runs it now (head on the response rows, hand-built
        // cross-entropy, reference log-probabilities precomputed, one shared gradient node) against the whole-logits
        // path, interleaved in one JVM.
        if (args.length > 1 && args[1].equals("rows")) {
            try (NDManager root = NDManager.newBaseManager()) {
                RowsStep.compare(root, 4, 256, 512, 32000, reps, BaLoraPresets.nlgIclr().build());
            }
            System.out.printf(Locale.ROOT, "load after: %s%n", loadAverage());
            return;
        }
        int time = smoke ? 16 : 256;
        int vocab = smoke ? 5000 : 32000;
        System.out.printf(Locale.ROOT, "threads: torch inter/intra as configured, cores=%d, load=%s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        try (NDManager root = NDManager.newBaseManager()) {
            run(root, "NLU [32, 2] from Linear 512->2 on [32, 512]", 32, 1, 512, 2, reps, List.of(
                    new Named("nluCypJluAi", BaLoraPresets.nluCypJluAi().build())));
            if (nluOnly) {
                return;
            }
            run(root, "NLG [4x" + time + ", " + vocab + "] from Linear 512->" + vocab + " on [" + 4 * time + ", 512]",
                    4, time, 512, vocab, reps,
                    iclrOnly ? List.of(new Named("nlgIclr", BaLoraPresets.nlgIclr().build()))
                            : List.of(new Named("nlgIclr", BaLoraPresets.nlgIclr().build()),
                                    new Named("nlgDec2024", BaLoraPresets.nlgDec2024().build())));
        }
        System.out.printf(Locale.ROOT, "load after: %s%n", loadAverage());
    }

    private record Named(String name, WeightedObjective objective) {}

    private static void run(NDManager root, String title, int batch, int time, int in, int out, int reps,
            List<Named> presets) {
        System.out.println("== " + title);
        boolean sequence = time > 1;
        Shape xShape = sequence ? new Shape(batch, time, in) : new Shape(batch, in);
        NDArray x = root.create(gaussian(xShape.size(), 1.0), xShape);
        NDArray w = root.create(gaussian((long) out * in, 1.0 / Math.sqrt(in)), new Shape(out, in)); // [out, in]
        NDArray wRef = w.add(root.create(gaussian((long) out * in, 0.01 / Math.sqrt(in)), new Shape(out, in)));
        NDArray labels = labels(root, batch, time, out);
        w.setRequiresGradient(true);

        // The reference pass: a no-grad forward (cacheable across epochs, method.md section 2).
        NDArray refLogits = x.matMul(wRef.transpose());
        double refMs = median(reps, () -> {
            try (NDManager s = root.newSubManager()) {
                NDArray xs = x.duplicate();
                xs.attach(s);
                xs.matMul(wRef.transpose()).toType(DataType.FLOAT32, false).sum().getFloat();
            }
        });

        double baseMs = median(reps, () -> step(root, x, w, labels, refLogits, null, sequence));
        double baseCpu = lastCpuMedian;
        System.out.printf(Locale.ROOT, "  forward+backward (task loss only)     %9.1f ms, thread CPU %9.1f ms%n", baseMs,
                baseCpu);
        System.out.printf(Locale.ROOT, "  reference forward (no grad, cacheable) %8.1f ms%n", refMs);

        for (Named p : presets) {
            for (WeightedObjective.Entry e : p.objective().entries()) {
                double ms = median(reps, () -> termAlone(root, refLogits, labels, e.regularizer()));
                System.out.printf(Locale.ROOT, "  %-11s %-12s fwd+bwd alone %9.1f ms  (%5.1f %% of the step),"
                        + " thread CPU %9.1f ms (%5.1f %%)%n", p.name(), e.regularizer().name(), ms, 100 * ms / baseMs,
                        lastCpuMedian, 100 * lastCpuMedian / baseCpu);
            }
            double inputMs = median(reps, () -> RegularizerInput.builder().setLogits(refLogits).build());
            // Interleave the two steps so that load drift hits both alike.
            double[] base = new double[reps];
            double[] with = new double[reps];
            double[] baseCpuAll = new double[reps];
            double[] withCpu = new double[reps];
            for (int i = -2; i < reps; i++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                double b = timeMs(() -> step(root, x, w, labels, refLogits, null, sequence));
                long c1 = THREADS.getCurrentThreadCpuTime();
                double t = timeMs(() -> step(root, x, w, labels, refLogits, p.objective(), sequence));
                long c2 = THREADS.getCurrentThreadCpuTime();
                if (i >= 0) {
                    base[i] = b;
                    with[i] = t;
                    baseCpuAll[i] = (c1 - c0) / 1e6;
                    withCpu[i] = (c2 - c1) / 1e6;
                }
            }
            double mb = median(base);
            double mw = median(with);
            System.out.printf(Locale.ROOT, "  %-11s finite check of the logits %9.1f ms%n", p.name(), inputMs);
            System.out.printf(Locale.ROOT, "  %-11s step with all terms %9.1f ms vs %9.1f ms without: overhead"
                    + " %5.1f %%%n", p.name(), mw, mb, 100 * (mw - mb) / mb);
            double cw = median(withCpu);
            double cb = median(baseCpuAll);
            System.out.printf(Locale.ROOT, "  %-11s step thread CPU      %9.1f ms vs %9.1f ms without: overhead"
                    + " %5.1f %%%n", p.name(), cw, cb, 100 * (cw - cb) / cb);
        }
        System.out.println("  load now: " + loadAverage());
    }

    /** One training step: forward, task loss, optional regularizers, backward. */
    private static void step(NDManager root, NDArray x, NDArray w, NDArray labels, NDArray refLogits,
            WeightedObjective objective, boolean sequence) {
        try (NDManager s = root.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray xs = x.duplicate();
            xs.attach(s);
            NDArray logits = xs.matMul(w.transpose());
            NDArray task = taskLoss(logits, labels, sequence);
            NDArray total = task;
            if (objective != null) {
                RegularizerInput.Builder in = RegularizerInput.builder().setLogits(logits)
                        .optReferenceLogits(refLogits).optStep(900, 1000);
                if (sequence) {
                    in.optLabels(labels);
                }
                total = objective.evaluate(task, in.build()).total();
            }
            gc.backward(total);
        }
    }

    private static void termAlone(NDManager root, NDArray refLogits, NDArray labels, Regularizer r) {
        try (NDManager s = root.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = refLogits.add(0.1f);
            logits.attach(s);
            logits.setRequiresGradient(true);
            RegularizerInput.Builder in = RegularizerInput.builder().setLogits(logits).optReferenceLogits(refLogits)
                    .optStep(900, 1000).optCheckFinite(false);
            if (logits.getShape().dimension() == 3) {
                in.optLabels(labels);
            }
            NDArray value = r.compute(in.build());
            gc.backward(value);
            value.getFloat();
        }
    }

    /** Mean cross-entropy; for sequences the shifted causal-LM loss over the positions whose next label counts. */
    private static NDArray taskLoss(NDArray logits, NDArray labels, boolean sequence) {
        NDArray logP = logits.logSoftmax(-1);
        if (!sequence) {
            return logP.mul(labels).sum().neg().div(logits.getManager().create((float) logits.getShape().get(0)));
        }
        int batch = (int) logits.getShape().get(0);
        int time = (int) logits.getShape().get(1);
        long[] ids = labels.toLongArray();
        List<Long> rows = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t + 1 < time; t++) {
                long next = ids[b * time + t + 1];
                if (next != -100) {
                    rows.add((long) b * time + t);
                    targets.add(next);
                }
            }
        }
        NDManager m = logits.getManager();
        NDArray rowIndex = m.create(rows.stream().mapToLong(Long::longValue).toArray());
        NDArray targetIndex = m.create(targets.stream().mapToLong(Long::longValue).toArray(),
                new Shape(targets.size(), 1));
        NDArray picked = logP.reshape(-1, logits.getShape().get(2)).get(rowIndex).gather(targetIndex, 1);
        return picked.mean().neg();
    }

    private static NDArray labels(NDManager m, int batch, int time, int classes) {
        if (time == 1) {
            float[] oneHot = new float[batch * classes];
            for (int b = 0; b < batch; b++) {
                oneHot[b * classes + RNG.nextInt(classes)] = 1;
            }
            return m.create(oneHot, new Shape(batch, classes));
        }
        long[] ids = new long[batch * time];
        for (int b = 0; b < batch; b++) {
            int prompt = time / 3 + RNG.nextInt(time / 4);
            for (int t = 0; t < time; t++) {
                ids[b * time + t] = t < prompt ? -100 : RNG.nextInt(classes);
            }
        }
        return m.create(ids, new Shape(batch, time));
    }

    private static float[] gaussian(long n, double scale) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (scale * RNG.nextGaussian());
        }
        return a;
    }

    private static double timeMs(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(int reps, Runnable r) {
        List<Double> t = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = -2; i < reps; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            double ms = timeMs(r);
            if (i >= 0) {
                t.add(ms);
                cpu.add((THREADS.getCurrentThreadCpuTime() - c0) / 1e6);
            }
        }
        lastCpuMedian = median(cpu.stream().mapToDouble(Double::doubleValue).toArray());
        return median(t.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
