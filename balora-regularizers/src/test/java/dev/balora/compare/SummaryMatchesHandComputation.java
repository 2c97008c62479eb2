package dev.balora.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Per-method summaries (mean, sample std, standard error, t interval) against values worked by hand. */
class SummaryMatchesHandComputation {
    @Test
    void threeSeeds() {
        // 0.80, 0.82, 0.84: mean 0.82; deviations -0.02, 0, 0.02, so s^2 = 0.0008 / 2 and s = 0.02;
        // se = 0.02 / sqrt 3 = 0.0115470054; half-width 4.302653 * se = 0.0496827574 (python3 statistics agrees).
        Summary s = Summary.of("lora", new double[] {0.80, 0.82, 0.84}, 0.95);
        assertEquals(3, s.n());
        assertEquals(0.82, s.mean(), 1e-12);
        Summary.Spread sp = s.spread().orElseThrow();
        assertEquals(0.02, sp.std(), 1e-12);
        assertEquals(0.011547005383792516, sp.standardError(), 1e-12);
        assertEquals(0.770317242644409, sp.ci().lower(), 1e-6);
        assertEquals(0.8696827573555909, sp.ci().upper(), 1e-6);
        assertEquals(0.95, sp.level(), 0);
    }

    @Test
    void fiveSeedsAtNinetyPercent() {
        // 1, 2, 3, 4, 5: mean 3, s = sqrt(10 / 4) = 1.5811388; t(0.95, 4) = 2.131847 (table), se = s / sqrt 5.
        Summary s = Summary.of("m", new double[] {1, 2, 3, 4, 5}, 0.90);
        double se = Math.sqrt(2.5) / Math.sqrt(5);
        assertEquals(Math.sqrt(2.5), s.spread().orElseThrow().std(), 1e-12);
        assertEquals(3 - 2.131847 * se, s.spread().orElseThrow().ci().lower(), 1e-6);
        assertEquals(3 + 2.131847 * se, s.spread().orElseThrow().ci().upper(), 1e-6);
    }

    @Test
    void oneSeedHasAMeanAndNoSpread() {
        Summary s = Summary.of("lora", new double[] {0.7}, 0.95);
        assertEquals(1, s.n());
        assertEquals(0.7, s.mean(), 0);
        assertTrue(s.spread().isEmpty());
    }

    @Test
    void constantValuesGiveAZeroWidthInterval() {
        Summary s = Summary.of("m", new double[] {0.1, 0.1, 0.1}, 0.95);
        assertEquals(0.1, s.mean(), 0);
        assertEquals(0, s.spread().orElseThrow().std(), 0);
        assertEquals(new Interval(0.1, 0.1), s.spread().orElseThrow().ci());
    }

    @Test
    void noValuesIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Summary.of("pissa", new double[0], 0.95));
        assertTrue(e.getMessage().contains("pissa"), e.getMessage());
    }
}
