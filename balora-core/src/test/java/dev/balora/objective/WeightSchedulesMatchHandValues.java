package dev.balora.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Every schedule against values worked out by hand over T = 100 optimizer steps. */
class WeightSchedulesMatchHandValues {
    private static final long T = 100;

    @Test
    void constant() {
        assertEquals(1.0, WeightSchedule.constant().factor(0, T), 0);
        assertEquals(1.0, WeightSchedule.constant().factor(99, T), 0);
    }

    @Test
    void cosineDecayToAFloor() {
        WeightSchedule s = WeightSchedule.cosineDecay(0.1);
        assertEquals(1.0, s.factor(0, T), 1e-15);
        // Half-way: 0.1 + 0.9 * 0.5 * (1 + cos(pi / 2)) = 0.55.
        assertEquals(0.55, s.factor(50, T), 1e-15);
        // A quarter: 0.1 + 0.9 * 0.5 * (1 + sqrt(2)/2) = 0.868198...
        assertEquals(0.1 + 0.45 * (1 + Math.sqrt(0.5)), s.factor(25, T), 1e-15);
        assertEquals(0.1, s.factor(100, T), 1e-15);
        assertEquals(0.1, s.factor(150, T), 1e-15);
        // The ICLR lambda1: 0.025 at the start, 0.0025 at the end.
        assertEquals(0.0025, 0.025 * s.factor(T, T), 1e-15);
    }

    @Test
    void twoPhaseOffRampOn() {
        WeightSchedule s = WeightSchedule.twoPhase(0.2, 0.05);
        // off = 20 steps, ramp = 5 steps.
        assertEquals(0.0, s.factor(0, T), 0);
        assertEquals(0.0, s.factor(19, T), 0);
        assertEquals(0.0, s.factor(20, T), 0);
        assertEquals(0.2, s.factor(21, T), 1e-15);
        assertEquals(0.8, s.factor(24, T), 1e-15);
        assertEquals(1.0, s.factor(25, T), 0);
        assertEquals(1.0, s.factor(99, T), 0);
        // A ramp shorter than one step still lasts one step: T = 10 -> off = 2, ramp = max(0, 1) = 1.
        assertEquals(0.0, s.factor(2, 10), 0);
        assertEquals(1.0, s.factor(3, 10), 0);
    }

    @Test
    void linearWarmup() {
        WeightSchedule s = WeightSchedule.linearWarmup(0.1);
        assertEquals(0.0, s.factor(0, T), 0);
        assertEquals(0.5, s.factor(5, T), 1e-15);
        assertEquals(0.9, s.factor(9, T), 1e-15);
        assertEquals(1.0, s.factor(10, T), 0);
        assertEquals(1.0, WeightSchedule.linearWarmup(0.0).factor(0, T), 0);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WeightSchedule.cosineDecay(1.5));
        assertThrows(IllegalArgumentException.class, () -> WeightSchedule.twoPhase(-0.1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> WeightSchedule.linearWarmup(Double.NaN));
    }
}
