package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.RowGradient;
import dev.balora.objective.TokenLayout;
import dev.balora.objective.Scalars;
import dev.balora.regularizers.Surrogate;
import java.util.Objects;

/**
 * Entropy diversity: {@code -mean over the selected tokens of H(p)}, with p the softmax over the full vocabulary
 * or, for {@code K > 0}, over the K largest logits only, renormalised (ICLR code, K = 20).
 */
public final class EntropyDiversity implements Regularizer {
    private final int topK;
    private final TokenSelection selection;

    private EntropyDiversity(Builder b) {
        this.topK = b.topK;
        this.selection = b.selection;
    }

    /** A builder with the ICLR defaults: K = 20, shifted masked tokens. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "diversity";
    }

    @Override
    public boolean[] positionsRead(TokenLayout layout) {
        return selection.positionsRead(layout);
    }

    @Override
    public NDArray compute(RegularizerInput in) {
        NlgInputs.requireSequence(in, name());
        NDArray rows = selection.logitRows(in);
        if (rows == null) {
            return NlgInputs.zero(in);
        }
        long vocab = rows.getShape().get(1);
        if (topK > 0 && topK < vocab) {
            // Only [N, K] is touched after the selection: plain autograd is cheap here (but for top-K's scatter).
            NDArray logP = rows.topK(topK, -1, true, false).get(0).logSoftmax(-1);
            NDArray entropy = logP.exp().mul(logP).sum(new int[] {-1}).neg();
            return entropy.mean().neg();
        }
        return fullVocabulary(rows).attach();
    }

    @Override
    public RowGradient gradientOnRows(RegularizerInput in) {
        NlgInputs.requireSequence(in, name());
        NDArray rows = selection.logitRows(in);
        if (rows == null || rows != in.logitRows()) {
            return null;
        }
        if (topK > 0 && topK < rows.getShape().get(1)) {
            return topK(rows);
        }
        return NlgInputs.onRows(in, rows, () -> fullVocabulary(rows));
    }

    /**
     * Top-K: the same gradient {@code p (log p + H_r) / N} over the K renormalised logits of each row, which is the
     * whole gradient with respect to the rows (top-K passes it to the K selected columns, zero elsewhere): a
     * sparse gradient, added in place by the objective instead of top-K's backward scatter into a fresh [N, V].
     */
    private RowGradient topK(NDArray rows) {
        long n = rows.getShape().get(0);
        NDList top = rows.stopGradient().topK(topK, -1, true, false);
        NDArray logP = top.get(0).logSoftmax(-1); // [N, K]
        NDArray p = logP.exp();
        NDArray negH = p.mul(logP).sum(new int[] {-1}); // [N], sum p log p = -H
        double value = negH.sum().toType(DataType.FLOAT64, false).getDouble() / n;
        NDArray gradient = logP.subi(negH.reshape(n, 1)).muli(p).muli(Scalars.like(rows, 1.0 / n));
        return new RowGradient(value, gradient, top.get(1));
    }

    /**
     * Full vocabulary: -mean H with H_r = -sum p log p has the gradient p (log p + H_r) / N, built by hand on a
     * detached softmax (two [N, V] arrays instead of one per autograd node).
     */
    private static NlgInputs.Hand fullVocabulary(NDArray rows) {
        long n = rows.getShape().get(0);
        DetachedSoftmax sm = DetachedSoftmax.of(rows.stopGradient(), 1, false);
        NDArray logP = sm.logP();
        NDArray p = sm.p();
        NDArray negH = Surrogate.rowDot(p, logP); // [N], sum p log p = -H
        double value = negH.sum().toType(DataType.FLOAT64, false).getDouble() / n;
        NDArray gradient = logP.subi(negH.reshape(n, 1)).muli(p).muli(Scalars.like(rows, 1.0 / n));
        p.close();
        return new NlgInputs.Hand(rows, gradient, value);
    }

    /** Builder of {@link EntropyDiversity}. */
    public static final class Builder {
        private int topK = 20;
        private TokenSelection selection = TokenSelection.masked(MaskAlignment.SHIFTED);

        private Builder() {}

        /** K largest logits renormalised (default 20); 0 = the full vocabulary. */
        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /** Which positions count (default: masked, shifted). */
        public Builder optSelection(TokenSelection selection) {
            this.selection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        /** Validates and builds. */
        public EntropyDiversity build() {
            if (topK < 0) {
                throw new IllegalArgumentException("entropy diversity: top-K must be >= 0 (0 = full vocabulary), got "
                        + topK);
            }
            return new EntropyDiversity(this);
        }
    }
}
