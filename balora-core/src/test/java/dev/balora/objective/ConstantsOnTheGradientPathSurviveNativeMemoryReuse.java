package dev.balora.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.model.ShiftedCrossEntropy;
import dev.balora.nn.Activation;
import dev.balora.nn.Attention;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Constants used on the gradient path stay valid until backward even when the Java side has let go of them and the
 * native memory is reused: between forward and backward the test closes what it may, runs the garbage collector
 * (which frees the direct buffers behind closed DJL arrays) and fills freshly allocated small native blocks with NaN.
 * DJL's {@code x.mul(Number)} fails this (its scalar is freed while MulBackward still reads it); the gradients here
 * must equal those of an undisturbed run (and, for a scalar product, the hand value).
 */
class ConstantsOnTheGradientPathSurviveNativeMemoryReuse {

    /** Frees closed arrays' buffers and hands their native blocks out again, filled with NaN. */
    static List<ByteBuffer> reuseFreedNativeMemory() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> keep = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            b.putDouble(0, Double.NaN);
            keep.add(b);
        }
        return keep;
    }

    private static float[] gradient(float[] x, Shape shape, Function<NDArray, NDArray> f, boolean disturb) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(x, shape);
            a.setRequiresGradient(true);
            List<ByteBuffer> keep = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(a);
                if (disturb) {
                    keep = reuseFreedNativeMemory();
                }
                gc.backward(y);
            }
            keep = null;
            return a.getGradient().toFloatArray();
        }
    }

    private static void check(String what, Function<NDArray, NDArray> f) {
        float[] x = new float[24];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Shape shape = new Shape(1, 2, 3, 4);
        float[] expected = gradient(x, shape, f, false);
        assertArrayEquals(expected, gradient(x, shape, f, true), 0f, what);
    }

    @Test
    void scalarClosedBeforeBackward() {
        float[] g = gradient(new float[] {1, 2, 3}, new Shape(3), a -> {
            NDArray s = Scalars.like(a, 3.0);
            NDArray y = a.mul(s).sum();
            s.close();
            return y;
        }, true);
        assertArrayEquals(new float[] {3, 3, 3}, g, 0f);
    }

    @Test
    void scalarHelpers() {
        check("Scalars.mul/div", a -> Scalars.div(Scalars.mul(a, 0.7), 3.0).sum());
    }

    @Test
    void activations() {
        for (Activation act : Activation.values()) {
            check(act.name(), a -> act.apply(a).sum());
        }
    }

    @Test
    void scaledDotProductAttention() {
        check("attention", a -> {
            NDArray q = a.reshape(1, 2, 3, 4);
            NDArray mask = a.getManager().zeros(new Shape(1, 1, 3, 3));
            return Attention.attend(q, q, q, mask, 0.5f, false).square().sum();
        });
    }

    @Test
    void shiftedCrossEntropyMean() {
        check("cross-entropy", a -> {
            NDArray labels = a.getManager().create(new long[] {-100, 1, 2, -100, 3, 0}, new Shape(2, 3));
            return ShiftedCrossEntropy.mean(a.reshape(2, 3, 4), labels);
        });
    }
}
