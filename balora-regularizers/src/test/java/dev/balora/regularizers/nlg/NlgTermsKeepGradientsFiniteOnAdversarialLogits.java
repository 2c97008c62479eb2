package dev.balora.regularizers.nlg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.WeightedObjective;
import dev.balora.regularizers.BaLoraPresets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each NLG term of the ICLR preset, and the whole objective with the shifted cross-entropy, gives a finite value and a
 * finite gradient (collected on the leaf logits) on finite but adversarial FLOAT32 logits: +-1e4 and Gaussian 1e4
 * magnitudes, one-hot rows whose softmax underflows to exact zeros (against a one-hot reference elsewhere and
 * against itself), constant rows (every top-K entry tied), ties across the top-K boundary, identical rows (rank 1),
 * all zeros, equal singular values (at 1 and 1e4), rank 2, tiny values, N = 0, 1 and 5 < k selected tokens; on a
 * 64-token vocabulary (exact SVD) and a 4100-token one (randomized SVD, two steps = two test matrices). The
 * objective's backward runs after the garbage collector has freed closed arrays' buffers and their native blocks
 * were handed out again filled with NaN, as in a long training step.
 */
class NlgTermsKeepGradientsFiniteOnAdversarialLogits {

    record Case(int b, int t, int v, float[] z, float[] ref, float[] mask) {}

    static float[] gaussian(Random r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (scale * r.nextGaussian());
        }
        return x;
    }

    static Map<String, Case> cases(int v) {
        Map<String, Case> c = new LinkedHashMap<>();
        int b = 2;
        int t = 12;
        int n = b * t;
        Random r = new Random(v);
        float[] all = new float[n];
        java.util.Arrays.fill(all, 1f);
        float[] rnd = gaussian(r, n * v, 1);
        float[] ref = gaussian(r, n * v, 1);
        c.put("random", new Case(b, t, v, rnd, ref, all));
        float[] large = new float[n * v];
        for (int i = 0; i < large.length; i++) {
            large[i] = r.nextBoolean() ? 1e4f : -1e4f;
        }
        c.put("+-1e4", new Case(b, t, v, large, ref, all));
        float[] largeG = gaussian(r, n * v, 1e4);
        c.put("gaussian 1e4", new Case(b, t, v, largeG, gaussian(r, n * v, 1e4), all));
        float[] oneHot = new float[n * v];
        float[] oneHotRef = new float[n * v];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(oneHot, i * v, (i + 1) * v, -1e4f);
            oneHot[i * v + r.nextInt(v)] = 1e4f;
            oneHotRef[i * v + r.nextInt(v)] = 1e4f;
        }
        c.put("one-hot", new Case(b, t, v, oneHot, oneHotRef, all));
        c.put("one-hot vs same", new Case(b, t, v, oneHot, oneHot.clone(), all));
        float[] ties = new float[n * v];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(ties, i * v, (i + 1) * v, (float) r.nextGaussian());
        }
        c.put("constant rows", new Case(b, t, v, ties, ref, all));
        float[] topTies = rnd.clone();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 25; k++) {
                topTies[i * v + k] = 30f;
            }
        }
        c.put("ties at top-K", new Case(b, t, v, topTies, ref, all));
        float[] same = new float[n * v];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rnd, 0, same, i * v, v);
        }
        c.put("identical rows", new Case(b, t, v, same, ref, all));
        float[] sameLarge = new float[n * v];
        for (int i = 0; i < n; i++) {
            System.arraycopy(large, 0, sameLarge, i * v, v);
        }
        c.put("identical rows 1e4", new Case(b, t, v, sameLarge, ref, all));
        c.put("zeros", new Case(b, t, v, new float[n * v], new float[n * v], all));
        float[] eye = new float[n * v];
        float[] eyeBig = new float[n * v];
        for (int i = 0; i < n; i++) {
            eye[i * v + i] = 1f;
            eyeBig[i * v + i] = 1e4f;
        }
        c.put("equal singular values", new Case(b, t, v, eye, ref, all));
        c.put("equal singular values 1e4", new Case(b, t, v, eyeBig, ref, all));
        float[] one = new float[n];
        one[5] = 1;
        c.put("N=1", new Case(b, t, v, rnd, ref, one));
        float[] few = new float[n];
        for (int i = 0; i < 5; i++) {
            few[i * 3] = 1;
        }
        c.put("N=5<k", new Case(b, t, v, rnd, ref, few));
        c.put("N=5<k identical", new Case(b, t, v, same, ref, few));
        c.put("N=0", new Case(b, t, v, rnd, ref, new float[n]));
        float[] tiny = gaussian(r, n * v, 1e-20);
        c.put("tiny", new Case(b, t, v, tiny, ref, all));
        float[] rank2 = new float[n * v];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < v; k++) {
                rank2[i * v + k] = (i % 2 == 0 ? 1 : 0.5f) * rnd[k] + (i % 3 == 0 ? 1 : 0) * ref[k];
            }
        }
        c.put("rank 2", new Case(b, t, v, rank2, ref, all));
        return c;
    }

    /** Frees closed arrays' direct buffers and hands their native blocks out again, filled with NaN. */
    static List<ByteBuffer> reuseFreedNativeMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> keep = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            b.putDouble(0, Double.NaN);
            keep.add(b);
        }
        return keep;
    }

    static String run(String name, Case k, long step, boolean disturb,
            java.util.function.Function<RegularizerInput, NDArray> f) {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(k.b, k.t, k.v);
            NDArray z = m.create(k.z, shape);
            z.setRequiresGradient(true);
            RegularizerInput in = RegularizerInput.builder().setLogits(z).optReferenceLogits(m.create(k.ref, shape))
                    .optTokenMask(m.create(k.mask, new Shape(k.b, k.t))).optLabels(labels(m, k))
                    .optStep(step, 100).build();
            double value;
            List<ByteBuffer> keep = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = f.apply(in);
                value = out.toType(DataType.FLOAT64, false).getDouble();
                if (disturb) {
                    keep = reuseFreedNativeMemory();
                }
                // The leaf always receives a gradient (a term may not depend on it, e.g. N = 0).
                gc.backward(out.add(z.sum().mul(m.zeros(new Shape()))));
            }
            keep = null;
            float[] g = z.getGradient().toFloatArray();
            int bad = 0;
            for (float x : g) {
                bad += Float.isFinite(x) ? 0 : 1;
            }
            if (bad > 0 || !Double.isFinite(value)) {
                return name + ": value " + value + ", " + bad + " non-finite gradient entries";
            }
            return null;
        } catch (RuntimeException e) {
            return name + ": threw " + e;
        }
    }

    /** Labels for the task loss: the first three positions of each row are prompt (ignored). */
    static NDArray labels(NDManager m, Case k) {
        long[] labels = new long[k.b * k.t];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % k.t < 3 ? ShiftedCrossEntropy.IGNORE_INDEX : (i * 7L) % k.v;
        }
        return m.create(labels, new Shape(k.b, k.t));
    }

    private static void check(int vocab, int steps) {
        List<String> bad = new ArrayList<>();
        WeightedObjective obj = BaLoraPresets.nlgIclr().build();
        for (int v : new int[] {vocab}) {
            for (Map.Entry<String, Case> e : cases(v).entrySet()) {
                for (long step = 50; step < 50 + steps; step++) {
                    for (WeightedObjective.Entry en : obj.entries()) {
                        Regularizer reg = en.regularizer();
                        String s = run("V=" + v + " " + e.getKey() + " step " + step + " " + reg.name(), e.getValue(),
                                step, false, reg::compute);
                        if (s != null) {
                            bad.add(s);
                        }
                    }
                    String s = run("V=" + v + " " + e.getKey() + " step " + step + " objective", e.getValue(), step,
                            true, in -> obj.evaluate(ShiftedCrossEntropy.mean(in.logits(), in.labels().get()), in)
                                    .total());
                    if (s != null) {
                        bad.add(s);
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    @Test
    void exactSpectrumOnASmallVocabulary() {
        check(64, 1);
    }

    @Test
    void randomizedSpectrumOnAWideVocabulary() {
        check(4100, 2);
    }
}
