package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleMatchesHandValues {

    @Test
    void warmupThenLinearDecay() {
        // 20 steps, warm-up 10 % = 2 steps, peak 1e-3 (Hugging Face's get_linear_schedule_with_warmup).
        LearningRateSchedule s = new LearningRateSchedule(ScheduleKind.LINEAR, 1e-3f,
                LearningRateSchedule.warmupSteps(0.1, 20), 20, 0f);
        assertEquals(2, s.warmupSteps());
        assertEquals(0.0, s.at(0), 1e-12);
        assertEquals(5e-4, s.at(1), 1e-9);
        assertEquals(1e-3, s.at(2), 1e-9);
        assertEquals(1e-3 * 9 / 18, s.at(11), 1e-9); // (20 - 11) / (20 - 2)
        assertEquals(1e-3 / 18, s.at(19), 1e-9);
        assertEquals(0.0, s.at(20), 1e-12);
    }

    @Test
    void cosineDecaysToTheFinalRatioNotAnAbsoluteValue() {
        LearningRateSchedule s = new LearningRateSchedule(ScheduleKind.COSINE, 2e-5f, 2, 20, 0f);
        assertEquals(2e-5, s.at(2), 1e-12);
        assertEquals(1e-5, s.at(11), 1e-11); // halfway: (1 + cos(pi/2)) / 2 = 0.5
        assertEquals(2e-5 * 0.5 * (1 + Math.cos(Math.PI * 4 / 18.0)), s.at(6), 1e-12);
        assertEquals(0.0, s.at(20), 1e-15);
        for (int i = 3; i <= 20; i++) {
            // Never above the peak and never rising (DJL's CosineTracker with its default absolute final value
            // 0.01 would rise from 2e-5 towards 0.01).
            assertEquals(true, s.at(i) <= s.at(i - 1) + 1e-15, "cosine must not rise at step " + i);
        }
        LearningRateSchedule floor = new LearningRateSchedule(ScheduleKind.COSINE, 1e-3f, 0, 10, 0.1f);
        assertEquals(1e-3, floor.at(0), 1e-9);
        assertEquals(1e-3 * (0.1 + 0.9 * 0.5), floor.at(5), 1e-9);
        assertEquals(1e-4, floor.at(10), 1e-9);
    }

    @Test
    void constantAfterWarmupAndRoundedUpWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(ScheduleKind.CONSTANT, 0.1f,
                LearningRateSchedule.warmupSteps(0.1, 25), 25, 0f);
        assertEquals(3, s.warmupSteps()); // ceil(2.5)
        assertEquals(0.1 / 3, s.at(1), 1e-8);
        assertEquals(0.1, s.at(3), 1e-8);
        assertEquals(0.1, s.at(24), 1e-8);
        assertEquals(0.1f, s.getNewValue(24), 1e-8f); // DJL Tracker view
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(ScheduleKind.LINEAR, 1e-3f, 30,
                20, 0f));
    }
}
