package dev.balora.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
import dev.balora.nn.EngineArrays;
import dev.balora.objective.RowGradient;
import dev.balora.objective.Scalars;

/**
 * The causal-LM cross-entropy: the logit at position t predicts label t+1; labels equal to the ignore index (prompt,
 * padding) do not count. Averaged over the counted tokens of the whole batch, as Hugging Face's causal-LM loss.
 */
public final class ShiftedCrossEntropy {
    /** The label of positions that do not count. */
    public static final int IGNORE_INDEX = -100;

    private ShiftedCrossEntropy() {}

    /**
     * The summed negative log-likelihood of the target tokens and their number.
     *
     * @param nll scalar sum of -log p(target), with gradient
     * @param tokens the number of target tokens (may be 0, then {@code nll} is 0)
     */
    public record Sum(NDArray nll, long tokens) {

        /** The mean over target tokens; fails when there is none. */
        public NDArray mean() {
            if (tokens == 0) {
                throw new IllegalArgumentException("the batch has no target token (every label is ignored)");
            }
            // Not nll.div(tokens): DJL frees that scalar while autograd still reads it in backward (see Scalars).
            return Scalars.div(nll, tokens);
        }
    }

    /**
     * Sums the shifted cross-entropy.
     *
     * @param logits [B, T, V]
     * @param labels [B, T] integer, unshifted ({@link #IGNORE_INDEX} where ignored)
     * @return the sum over counted tokens and their number
     */
    public static Sum sum(NDArray logits, NDArray labels) {
        long[] s = logits.getShape().getShape();
        if (s.length != 3 || labels.getShape().dimension() != 2 || labels.getShape().get(0) != s[0]
                || labels.getShape().get(1) != s[1]) {
            throw new IllegalArgumentException("expected logits [B, T, V] and labels [B, T], got " + logits.getShape()
                    + " and " + labels.getShape());
        }
        NDArray target = labels.get(":, 1:").toType(DataType.INT64, false); // [B, T-1]
        NDArray valid = target.neq(IGNORE_INDEX);
        long tokens = valid.sum().toType(DataType.INT64, false).getLong();
        NDArray safe = valid.toType(DataType.INT64, false).mul(target); // ignored -> class 0, weight 0 below
        long vocab = s[2];
        long max = tokens == 0 ? 0 : safe.max().getLong();
        if (max >= vocab) {
            throw new IllegalArgumentException("label " + max + " is outside the vocabulary of " + vocab);
        }
        NDArray logp = logits.get(":, :-1, :").logSoftmax(-1); // [B, T-1, V]
        NDArray picked = logp.gather(safe.expandDims(-1), 2).squeeze(-1); // [B, T-1]
        NDArray nll = picked.mul(valid.toType(picked.getDataType(), false)).sum().neg();
        return new Sum(nll, tokens);
    }

    /**
     * The mean cross-entropy of logit rows with known targets and its gradient, built without autograd: the value
     * {@code mean_i (logsumexp(z_i) - z_i[y_i])} over counted rows and the gradient {@code (softmax(z_i) - e_{y_i})
     * / count} (zero on rows that do not count), so that a caller can add other hand-built gradients to it in place
     * and attach the sum through one product ({@link RowGradient#attach}) instead of autograd's log-softmax and
     * gather backward.
     *
     * @param rows [N, V] (read without gradient)
     * @param targets the target id of each row, {@link #IGNORE_INDEX} where the row does not count
     * @return the mean and its gradient [N, V] (a fresh array)
     * @throws IllegalArgumentException when no row counts or a target is outside the vocabulary
     */
    public static RowGradient meanRowsByHand(NDArray rows, long[] targets) {
        Shape s = rows.getShape();
        if (s.dimension() != 2 || s.get(0) != targets.length) {
            throw new IllegalArgumentException("expected rows [N, V] and N targets, got " + s + " and "
                    + targets.length + " targets");
        }
        long vocab = s.get(1);
        int n = targets.length;
        int tokens = 0;
        for (long y : targets) {
            if (y != IGNORE_INDEX && (y < 0 || y >= vocab)) {
                throw new IllegalArgumentException("label " + y + " is outside the vocabulary of " + vocab);
            }
            tokens += y == IGNORE_INDEX ? 0 : 1;
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("the batch has no target token (every label is ignored)");
        }
        long[] rowIndex = new long[tokens];
        long[] colIndex = new long[tokens];
        float[] weight = new float[n];
        for (int i = 0, j = 0; i < n; i++) {
            if (targets[i] != IGNORE_INDEX) {
                rowIndex[j] = i;
                colIndex[j++] = targets[i];
                weight[i] = 1f / tokens;
            }
        }
        NDManager m = rows.getManager();
        NDIndex at = new NDIndex("{}, {}", EngineArrays.own(m.create(rowIndex)), EngineArrays.own(m.create(colIndex)));
        NDArray logP = rows.stopGradient().logSoftmax(-1);
        double value = -logP.get(at).toType(DataType.FLOAT64, false).sum().getDouble() / tokens;
        NDArray gradient = logP.exp();
        logP.close();
        // (p - onehot) / count on counted rows, 0 elsewhere: one in-place pass, then the targets in place.
        NDArray w = EngineArrays.own(m.create(weight, new Shape(n, 1))).toType(gradient.getDataType(), false);
        gradient.muli(w);
        gradient.set(at, gradient.get(at).subi(Scalars.like(gradient, 1.0 / tokens)));
        return new RowGradient(value, gradient);
    }

    /** The mean shifted cross-entropy over target tokens. */
    public static NDArray mean(NDArray logits, NDArray labels) {
        return sum(logits, labels).mean();
    }
}
