package dev.balora.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * total = task + sum lambda_i(t) R_i with hand-computed values and gradients, zero-weight terms skipped, and bad
 * inputs rejected with clear messages.
 */
class WeightedObjectiveSumsScheduledTerms {

    /** R = sum(z^2): dR/dz = 2z. */
    private static final Regularizer SQUARES = new Regularizer() {
        @Override
        public String name() {
            return "squares";
        }

        @Override
        public NDArray compute(RegularizerInput in) {
            return in.logits().square().sum();
        }
    };

    /** R = sum(z): dR/dz = 1. */
    private static final Regularizer SUM = new Regularizer() {
        @Override
        public String name() {
            return "sum";
        }

        @Override
        public NDArray compute(RegularizerInput in) {
            return in.logits().sum();
        }
    };

    /** Fails if evaluated: proves that a zero-weight term is not computed. */
    private static final Regularizer NEVER = new Regularizer() {
        @Override
        public String name() {
            return "never";
        }

        @Override
        public NDArray compute(RegularizerInput in) {
            throw new AssertionError("a term with weight 0 was computed");
        }
    };

    @Test
    void totalValuesAndGradient() {
        WeightedObjective objective = WeightedObjective.builder()
                .add(SQUARES, 0.5)
                .add(SUM, 2.0, WeightSchedule.linearWarmup(0.5)) // step 1 of 4: warm-up 2 steps -> factor 0.5
                .add(NEVER, 3.0, WeightSchedule.twoPhase(0.5, 0.25)) // step 1 of 4: off
                .build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1, -2, 3, 0.5f}, new Shape(2, 2));
            z.setRequiresGradient(true);
            ObjectiveTerms terms;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray task = z.mul(z.getManager().create(new float[] {1, 1, 0, 0}, new Shape(2, 2))).sum();
                RegularizerInput in = RegularizerInput.builder().setLogits(z).optStep(1, 4).build();
                terms = objective.evaluate(task, in);
                gc.backward(terms.total());
            }
            // FLOAT32 in, FLOAT32 out: a weight must not promote the total to FLOAT64 (nor cut its graph).
            assertEquals(DataType.FLOAT32, terms.total().getDataType());
            // task = 1 - 2 = -1; squares = 1 + 4 + 9 + 0.25 = 14.25; sum = 2.5; lambda = 0.5, 1.0, 0.
            assertEquals(-1.0 + 0.5 * 14.25 + 1.0 * 2.5, terms.total().getFloat(), 1e-5);
            Map<String, Double> log = terms.asMap();
            assertEquals(-1.0, log.get("task_loss"), 1e-6);
            assertEquals(14.25, log.get("squares"), 1e-5);
            assertEquals(0.5, log.get("squares.lambda"), 0);
            assertEquals(2.5, log.get("sum"), 1e-5);
            assertEquals(1.0, log.get("sum.lambda"), 0);
            assertEquals(0.0, log.get("never.lambda"), 0);
            assertFalse(log.containsKey("never"), "a skipped term has no value in the log");
            assertEquals(8.625, log.get("total"), 1e-5);
            // d/dz: task mask + 0.5 * 2z + 1.0 * 1.
            assertArrayEquals(new float[] {1 + 1 + 1, 1 - 2 + 1, 0 + 3 + 1, 0 + 0.5f + 1},
                    z.getGradient().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        assertThrows(IllegalArgumentException.class,
                () -> WeightedObjective.builder().add(SUM, 1.0).add(SUM, 2.0));
        assertThrows(IllegalArgumentException.class, () -> WeightedObjective.builder().add(SUM, -1.0));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1, Float.NaN, 3, 4}, new Shape(2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RegularizerInput.builder().setLogits(z).optStep(3, 10).build());
            assertTrue(e.getMessage().contains("fine-tuned pass") && e.getMessage().contains("1 NaN")
                    && e.getMessage().contains("step 3"), e.getMessage());
            NDArray ok = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> RegularizerInput.builder().setLogits(ok).optReferenceLogits(m.zeros(new Shape(2, 3))).build());
            assertTrue(shape.getMessage().contains("reference logits"), shape.getMessage());
            IllegalStateException missing = assertThrows(IllegalStateException.class,
                    () -> RegularizerInput.builder().setLogits(ok).build().requireReferenceLogits("consistency"));
            assertTrue(missing.getMessage().contains("consistency"), missing.getMessage());
        }
    }
}
