package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RegularizerInput;
import dev.balora.regularizers.Numeric;

/** A small [2, 6, 7] causal-LM batch with prompt and padding labels, and its valid positions worked out by hand. */
final class NlgFixture {
    static final int B = 2;
    static final int T = 6;
    static final int V = 7;
    static final Shape SHAPE = new Shape(B, T, V);
    /** Row 0: prompt of 2, response of 3, one pad; row 1: prompt of 1, response of 5. */
    static final long[] LABELS = {-100, -100, 3, 1, 4, -100, -100, 2, 5, 6, 0, 1};
    /** Label t is a target: (0,2) (0,3) (0,4) (1,1)...(1,5). */
    static final int[][] UNSHIFTED = {{0, 2}, {0, 3}, {0, 4}, {1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}};
    /** Logit t predicts label t+1: (0,1) (0,2) (0,3) (1,0)...(1,4); the last position never counts. */
    static final int[][] SHIFTED = {{0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}};

    static final double[] Z = Numeric.gaussian(21, B * T * V, 2.5);
    static final double[] REF = Numeric.gaussian(22, B * T * V, 2.5);

    private NlgFixture() {}

    static int[][] allPositions() {
        int[][] all = new int[B * T][];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                all[b * T + t] = new int[] {b, t};
            }
        }
        return all;
    }

    static RegularizerInput input(NDManager m, NDArray logits) {
        return RegularizerInput.builder().setLogits(logits).optReferenceLogits(m.create(REF, SHAPE))
                .optLabels(m.create(LABELS, new Shape(B, T))).build();
    }

    static RegularizerInput input(NDManager m) {
        return input(m, m.create(Z, SHAPE));
    }
}
