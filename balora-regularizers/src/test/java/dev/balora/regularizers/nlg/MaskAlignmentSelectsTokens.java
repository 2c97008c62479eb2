package dev.balora.regularizers.nlg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.RegularizerInput;
import dev.balora.regularizers.Numeric;
import org.junit.jupiter.api.Test;

/** Token by token: which logit positions count under each alignment, and that the terms use exactly those. */
class MaskAlignmentSelectsTokens {

    private static boolean[] flags(int[][] positions) {
        boolean[] f = new boolean[NlgFixture.B * NlgFixture.T];
        for (int[] p : positions) {
            f[p[0] * NlgFixture.T + p[1]] = true;
        }
        return f;
    }

    @Test
    void shiftedAndUnshiftedPositionsFromLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            RegularizerInput in = NlgFixture.input(m);
            assertArrayEquals(flags(NlgFixture.SHIFTED),
                    TokenSelection.masked(MaskAlignment.SHIFTED).validPositions(in));
            assertArrayEquals(flags(NlgFixture.UNSHIFTED),
                    TokenSelection.masked(MaskAlignment.UNSHIFTED).validPositions(in));
            assertArrayEquals(flags(NlgFixture.allPositions()), TokenSelection.all().validPositions(in));
        }
    }

    @Test
    void explicitTokenMaskWinsOverLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] mask = new float[NlgFixture.B * NlgFixture.T];
            mask[4] = 1;
            mask[7] = 1;
            RegularizerInput in = RegularizerInput.builder().setLogits(m.create(NlgFixture.Z, NlgFixture.SHAPE))
                    .optLabels(m.create(NlgFixture.LABELS, new Shape(NlgFixture.B, NlgFixture.T)))
                    .optTokenMask(m.create(mask, new Shape(NlgFixture.B, NlgFixture.T))).build();
            assertArrayEquals(flags(new int[][] {{0, 4}, {1, 1}}),
                    TokenSelection.masked(MaskAlignment.UNSHIFTED).validPositions(in));
            // Neither labels nor mask: every position.
            RegularizerInput bare = RegularizerInput.builder()
                    .setLogits(m.create(NlgFixture.Z, NlgFixture.SHAPE)).build();
            assertArrayEquals(flags(NlgFixture.allPositions()),
                    TokenSelection.masked(MaskAlignment.SHIFTED).validPositions(bare));
        }
    }

    @Test
    void klUsesExactlyTheAlignedPositions() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (MaskAlignment a : MaskAlignment.values()) {
                int[][] pos = a == MaskAlignment.SHIFTED ? NlgFixture.SHIFTED : NlgFixture.UNSHIFTED;
                double expected = NlgReference.kl(NlgFixture.Z, NlgFixture.REF, NlgFixture.T, NlgFixture.V, pos,
                        1.0, pos.length);
                double got = KlConsistency.builder().optTemperature(1.0).optSelection(TokenSelection.masked(a))
                        .build().compute(NlgFixture.input(m)).getDouble();
                assertTrue(Numeric.relErr(got, expected) <= 1e-5, a + ": " + got + " vs " + expected);
            }
            // The two alignments select different tokens here, so the values differ.
            double s = KlConsistency.builder().build().compute(NlgFixture.input(m)).getDouble();
            double u = KlConsistency.builder().optSelection(TokenSelection.masked(MaskAlignment.UNSHIFTED)).build()
                    .compute(NlgFixture.input(m)).getDouble();
            assertTrue(Math.abs(s - u) > 1e-3, "alignments gave the same value " + s);
        }
    }
}
