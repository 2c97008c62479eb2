package dev.balora.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.LinearAdapter;
import dev.balora.nn.Param;
import dev.balora.objective.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Linear's LoRA/PiSSA state: trainable A and B, their frozen initial copies A0 and B0, the scaling and the
 * dropout. Its update is {@code s * (dropout(x) A^T) B^T}; in reference mode {@code s * (x A0^T) B0^T}.
 */
public final class LoraAdapter implements LinearAdapter {
    /** PEFT's local name of A. */
    public static final String A_NAME = "lora_A.weight";
    /** PEFT's local name of B. */
    public static final String B_NAME = "lora_B.weight";

    private final String path;
    private final int rank;
    private final double alpha;
    private final double scaling;
    private final float dropout;
    private final Param a; // [r, in]
    private final Param b; // [out, r]
    private NDArray a0; // [r, in], frozen
    private NDArray b0; // [out, r], frozen
    private boolean merged;

    /**
     * Creates the adapter from its initial factors; A0 and B0 are copies of them.
     *
     * @param path the adapted Linear's module path (for messages)
     * @param a initial A, [r, in]; the adapter owns it and makes it trainable
     * @param b initial B, [out, r]; the adapter owns it and makes it trainable
     * @param alpha lora_alpha of this layer
     * @param scaling s of this layer (see {@link Scaling})
     * @param dropout dropout probability on the adapter input during training
     */
    public LoraAdapter(String path, NDArray a, NDArray b, double alpha, double scaling, double dropout) {
        Shape sa = a.getShape();
        Shape sb = b.getShape();
        if (sa.dimension() != 2 || sb.dimension() != 2 || sa.get(0) != sb.get(1)) {
            throw new IllegalArgumentException(path + ": lora_A must be [r, in] and lora_B [out, r], got " + sa
                    + " and " + sb);
        }
        this.path = path;
        this.rank = Math.toIntExact(sa.get(0));
        this.alpha = alpha;
        this.scaling = scaling;
        this.dropout = (float) dropout;
        this.a = new Param(A_NAME, a, false);
        this.b = new Param(B_NAME, b, false);
        this.a.setTrainable(true);
        this.b.setTrainable(true);
        resetReference();
    }

    /** Makes the current A and B the reference state A0, B0 (done at creation, and after loading). */
    public void resetReference() {
        if (a0 != null) {
            a0.close();
            b0.close();
        }
        a0 = a.array().duplicate();
        b0 = b.array().duplicate();
        a0.setRequiresGradient(false);
        b0.setRequiresGradient(false);
    }

    /**
     * Sets the reference state A0, B0 to given values (an adapter loaded together with its initial factors).
     *
     * @param initialA [r, in]; the adapter owns it from now on
     * @param initialB [out, r]; the adapter owns it from now on
     */
    public void setReference(NDArray initialA, NDArray initialB) {
        if (!initialA.getShape().equals(a.shape()) || !initialB.getShape().equals(b.shape())) {
            throw new IllegalArgumentException(path + ": initial factors " + initialA.getShape() + ", "
                    + initialB.getShape() + " do not match lora_A " + a.shape() + " and lora_B " + b.shape());
        }
        a0.close();
        b0.close();
        a0 = initialA;
        b0 = initialB;
        a0.setRequiresGradient(false);
        b0.setRequiresGradient(false);
    }

    @Override
    public NDArray delta(NDArray x, ForwardContext context) {
        if (context.reference()) {
            // In place: the reference pass has no gradient (and the product is this method's own fresh array).
            NDArray ref = low(x, a0, b0).muli(Scalars.like(x, scaling));
            // A merged layer already holds s·B·A in its weight: take it out again for the reference pass.
            return merged ? ref.sub(low(x, a.array(), b.array()).mul(scaling)).stopGradient() : ref.stopGradient();
        }
        if (merged) {
            Shape s = x.getShape();
            return x.getManager().zeros(s.slice(0, s.dimension() - 1).add(b.shape().get(0)), x.getDataType());
        }
        NDArray in = context.training() && dropout > 0
                ? ai.djl.nn.norm.Dropout.dropout(x, dropout, true).singletonOrThrow()
                : x;
        // s (x A^T) B^T with s applied to the [..., r] intermediate: one [..., out] array fewer in the forward and
        // in the backward. Not x.mul(Number): DJL frees that scalar while autograd still reads it (see Scalars).
        NDArray h = ai.djl.nn.core.Linear.linear(in, a.array()).singletonOrThrow();
        return ai.djl.nn.core.Linear.linear(Scalars.mul(h, scaling), b.array()).singletonOrThrow();
    }

    private static NDArray low(NDArray x, NDArray a, NDArray b) {
        NDArray h = ai.djl.nn.core.Linear.linear(x, a).singletonOrThrow();
        return ai.djl.nn.core.Linear.linear(h, b).singletonOrThrow();
    }

    /**
     * The dense update {@code s * B A}, [out, in], as a new array owned by A's manager (the caller closes it).
     *
     * @param reference use A0, B0 instead of A, B
     */
    public NDArray deltaWeight(boolean reference) {
        NDArray aa = reference ? a0 : a.array();
        NDArray bb = reference ? b0 : b.array();
        return bb.stopGradient().matMul(aa.stopGradient()).mul(scaling);
    }

    @Override
    public Map<String, Param> parameters() {
        Map<String, Param> out = new LinkedHashMap<>();
        out.put(A_NAME, a);
        out.put(B_NAME, b);
        return out;
    }

    /** Trainable A, [r, in]. */
    public Param a() {
        return a;
    }

    /** Trainable B, [out, r]. */
    public Param b() {
        return b;
    }

    /** Frozen initial A0, [r, in]. */
    public NDArray a0() {
        return a0;
    }

    /** Frozen initial B0, [out, r]. */
    public NDArray b0() {
        return b0;
    }

    /** The rank r of this layer. */
    public int rank() {
        return rank;
    }

    /** lora_alpha of this layer. */
    public double alpha() {
        return alpha;
    }

    /** The scaling s of this layer. */
    public double scaling() {
        return scaling;
    }

    /** The dropout probability. */
    public double dropout() {
        return dropout;
    }

    /** The adapted module path. */
    public String path() {
        return path;
    }

    /** Whether s·B·A is currently merged into the base weight. */
    public boolean merged() {
        return merged;
    }

    void setMerged(boolean merged) {
        this.merged = merged;
    }

    /** Closes A, B, A0 and B0. */
    void close() {
        a.array().close();
        b.array().close();
        a0.close();
        b0.close();
    }

    @Override
    public String toString() {
        return "LoraAdapter(" + path + ", r=" + rank + ", s=" + scaling + (merged ? ", merged" : "") + ")";
    }
}
