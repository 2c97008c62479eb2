package dev.balora.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Sequence logits given only at some positions (what the causal-LM task passes when it runs the head on those rows):
 * the rows of any valid subset are picked by position, the given rows themselves come back when the subset is all
 * of them, and misuse fails with a clear message.
 */
class LogitRowsInputSelectsAndValidates {

    @Test
    void rowsAtPicksByPosition() {
        try (NDManager m = NDManager.newBaseManager()) {
            // B = 2, T = 3, V = 2; rows at flat positions 1, 2, 4 hold 10+r, 20+r.
            NDArray rows = m.create(new float[] {11, 21, 12, 22, 14, 24}, new Shape(3, 2));
            RegularizerInput in = RegularizerInput.builder().setLogitRows(rows, new int[] {1, 2, 4}, 2, 3).build();
            assertTrue(in.isSequence());
            assertEquals(new Shape(2, 3, 2), in.sequenceShape());
            assertArrayEquals(new int[] {1, 2, 4}, in.rowPositions());
            assertSame(rows, in.logitRows());
            assertSame(rows, in.rowsAt(rows, new boolean[] {false, true, true, false, true, false}));
            NDArray picked = in.rowsAt(rows, new boolean[] {false, false, true, false, true, false});
            assertArrayEquals(new float[] {12, 22, 14, 24}, picked.toFloatArray());
            assertNull(in.rowsAt(rows, new boolean[6]));
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> in.rowsAt(rows, new boolean[] {true, true, false, false, false, false}));
            assertTrue(missing.getMessage().contains("positionsRead"), missing.getMessage());
            IllegalStateException whole = assertThrows(IllegalStateException.class, in::logits);
            assertTrue(whole.getMessage().contains("logitRows"), whole.getMessage());
        }
    }

    @Test
    void wholeLogitsAreRowsToo() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.arange(12f).reshape(2, 3, 2);
            RegularizerInput in = RegularizerInput.builder().setLogits(logits).build();
            assertEquals(new Shape(6, 2), in.logitRows().getShape());
            assertSame(in.logitRows(), in.logitRows());
            assertArrayEquals(new float[] {6, 7}, in.rowsAt(in.logitRows(),
                    new boolean[] {false, false, false, true, false, false}).toFloatArray());
        }
    }

    @Test
    void badRowsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray rows = m.zeros(new Shape(2, 4));
            assertThrows(IllegalArgumentException.class,
                    () -> RegularizerInput.builder().setLogitRows(rows, new int[] {3, 1}, 2, 3).build());
            assertThrows(IllegalArgumentException.class,
                    () -> RegularizerInput.builder().setLogitRows(rows, new int[] {1, 6}, 2, 3).build());
            assertThrows(IllegalArgumentException.class,
                    () -> RegularizerInput.builder().setLogitRows(rows, new int[] {1}, 2, 3).build());
            assertThrows(IllegalArgumentException.class, () -> RegularizerInput.builder()
                    .setLogitRows(rows, new int[] {0, 1}, 2, 3).optReferenceLogits(m.zeros(new Shape(2, 3, 4))).build());
            assertThrows(IllegalArgumentException.class, () -> RegularizerInput.builder()
                    .setLogitRows(rows, new int[] {0, 1}, 2, 3).setLogits(m.zeros(new Shape(2, 3, 4))).build());
        }
    }
}
