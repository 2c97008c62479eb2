package dev.balora.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Paired t-test, its interval and the paired bootstrap against values worked by hand and by enumeration. */
class PairedComparisonMatchesHandComputation {
    private static final List<Long> FIVE = List.of(1L, 2L, 3L, 4L, 5L);
    private static final double[] BASE = {0.70, 0.72, 0.69, 0.71, 0.73};
    private static final double[] PISSA = {0.72, 0.75, 0.70, 0.74, 0.74};

    @Test
    void fiveSeedPairedTest() {
        // Differences 0.02, 0.03, 0.01, 0.03, 0.01: mean 0.02, s = sqrt(4 * 0.0001 / 4) = 0.01, se = 0.01 / sqrt 5,
        // t = sqrt 20 = 4.472136, df 4. p from the closed-form df-4 CDF (and Simpson's rule on the density):
        // 0.0110564934; t interval 0.02 -+ 2.776445 * se = [0.0075834, 0.0324166].
        PairedComparison c = PairedComparison.of("pissa", "lora", MetricDirection.HIGHER_IS_BETTER, FIVE, PISSA,
                BASE, InferenceSettings.DEFAULT);
        assertArrayEquals(new double[] {0.02, 0.03, 0.01, 0.03, 0.01}, c.differenceArray(), 1e-12);
        assertEquals(0.02, c.meanDifference(), 1e-12);
        PairedTest t = c.test().orElseThrow();
        assertEquals(0.01, t.std(), 1e-12);
        assertEquals(0.01 / Math.sqrt(5), t.standardError(), 1e-12);
        assertEquals(Math.sqrt(20), t.t(), 1e-9);
        assertEquals(4, t.df());
        assertEquals(0.011056493393450273, t.pValue(), 1e-9);
        assertEquals(0.0075833604884212, t.ci().lower(), 1e-7);
        assertEquals(0.03241663951157883, t.ci().upper(), 1e-7);
        assertTrue(c.significant());
        assertEquals("pissa", c.better().orElseThrow());
    }

    @Test
    void bootstrapMatchesTheExactResamplingDistribution() {
        // Enumerating all 5^5 resamples of the differences above: P(mean <= 0.010) = 0.01024, P(<= 0.012) = 0.03584,
        // P(<= 0.026) = 0.96416, P(<= 0.028) = 0.98976. The 2.5 % and 97.5 % points are 0.012 and 0.028, with
        // margins far beyond the Monte Carlo error of 10,000 resamples.
        PairedComparison c = PairedComparison.of("pissa", "lora", MetricDirection.HIGHER_IS_BETTER, FIVE, PISSA,
                BASE, InferenceSettings.DEFAULT);
        Interval boot = c.bootstrapCi().orElseThrow();
        assertEquals(0.012, boot.lower(), 1e-12);
        assertEquals(0.028, boot.upper(), 1e-12);
    }

    @Test
    void bootstrapIsDeterministicForASeed() {
        double[] d = {0.013, -0.004, 0.021, 0.007, -0.011, 0.002};
        assertArrayEquals(PairedBootstrap.resampledMeans(d, 1000, 7), PairedBootstrap.resampledMeans(d, 1000, 7), 0);
        assertEquals(PairedBootstrap.meanCi(d, 0.95, 10_000, 7), PairedBootstrap.meanCi(d, 0.95, 10_000, 7));
        assertFalse(java.util.Arrays.equals(PairedBootstrap.resampledMeans(d, 1000, 7),
                PairedBootstrap.resampledMeans(d, 1000, 8)));
    }

    @Test
    void twoSeedBootstrapSpansBothDifferences() {
        // Resampled means of {a, b} are a (1/4), (a+b)/2 (1/2), b (1/4): the 2.5 % and 97.5 % points are a and b.
        Interval i = PairedBootstrap.meanCi(new double[] {-0.01, 0.03}, 0.95, 10_000, 1);
        assertEquals(-0.01, i.lower(), 1e-15);
        assertEquals(0.03, i.upper(), 1e-15);
    }

    @Test
    void percentilesInterpolateLinearly() {
        double[] sorted = {1, 2, 3, 4, 5};
        assertEquals(1.1, PairedBootstrap.quantile(sorted, 0.025), 1e-12); // position 0.1
        assertEquals(4.9, PairedBootstrap.quantile(sorted, 0.975), 1e-12); // position 3.9
        assertEquals(3, PairedBootstrap.quantile(sorted, 0.5), 0);
    }

    @Test
    void threeSeedsNotSignificant() {
        // Differences 0.03, 0.01, 0.05: mean 0.03, s = 0.02, se = 0.0115470, t = 2.598076, df 2;
        // p = 1 - t / sqrt(t^2 + 2) = 0.1216899; t interval 0.03 -+ 4.302653 * se = [-0.0196828, 0.0796828].
        PairedComparison c = PairedComparison.of("balora", "pissa", MetricDirection.HIGHER_IS_BETTER,
                List.of(0L, 1L, 2L), new double[] {0.53, 0.61, 0.60}, new double[] {0.50, 0.60, 0.55},
                InferenceSettings.DEFAULT);
        PairedTest t = c.test().orElseThrow();
        assertEquals(2.598076211353316, t.t(), 1e-9);
        assertEquals(0.1216899343463198, t.pValue(), 1e-9);
        assertEquals(-0.019682757355590937, t.ci().lower(), 1e-6);
        assertEquals(0.07968275735559091, t.ci().upper(), 1e-6);
        assertFalse(c.significant());
        assertEquals("balora", c.better().orElseThrow()); // better in the point estimate, not significantly
        // Three differences: P(resampled mean = min) = 1/27 > 2.5 %, so the bootstrap interval is [min, max].
        assertEquals(0.01, c.bootstrapCi().orElseThrow().lower(), 1e-12);
        assertEquals(0.05, c.bootstrapCi().orElseThrow().upper(), 1e-12);
    }

    @Test
    void lowerIsBetterMetricsFlipTheVerdict() {
        // Held-out loss: the method's loss is lower by 0.15, 0.1, 0.05, so the method is the better one.
        PairedComparison c = PairedComparison.of("balora", "lora", MetricDirection.LOWER_IS_BETTER,
                List.of(0L, 1L, 2L), new double[] {1.85, 2.0, 1.85}, new double[] {2.0, 2.1, 1.9},
                InferenceSettings.DEFAULT);
        assertEquals(-0.1, c.meanDifference(), 1e-12);
        assertEquals("balora", c.better().orElseThrow());
        PairedComparison worse = PairedComparison.of("balora", "lora", MetricDirection.HIGHER_IS_BETTER,
                List.of(0L, 1L, 2L), new double[] {1.85, 2.0, 1.85}, new double[] {2.0, 2.1, 1.9},
                InferenceSettings.DEFAULT);
        assertEquals("lora", worse.better().orElseThrow());
        assertEquals(MetricDirection.LOWER_IS_BETTER, MetricDirection.forMetric("eval_loss"));
        assertEquals(MetricDirection.HIGHER_IS_BETTER, MetricDirection.forMetric("matthews_correlation"));
        assertTrue(MetricDirection.LOWER_IS_BETTER.compare(1.0, 2.0) > 0);
    }

    @Test
    void identicalDifferencesAreDegenerateNotNaN() {
        PairedComparison same = PairedComparison.of("a", "b", MetricDirection.HIGHER_IS_BETTER,
                List.of(0L, 1L), new double[] {0.5, 0.6}, new double[] {0.5, 0.6}, InferenceSettings.DEFAULT);
        assertEquals(1.0, same.test().orElseThrow().pValue(), 0);
        assertTrue(same.better().isEmpty());
        PairedComparison shifted = PairedComparison.of("a", "b", MetricDirection.HIGHER_IS_BETTER,
                List.of(0L, 1L, 2L), new double[] {0.75, 0.5, 0.25}, new double[] {0.5, 0.25, 0.0},
                InferenceSettings.DEFAULT);
        assertEquals(Double.POSITIVE_INFINITY, shifted.test().orElseThrow().t(), 0);
        assertEquals(0.0, shifted.test().orElseThrow().pValue(), 0);
        assertEquals(new Interval(0.25, 0.25), shifted.test().orElseThrow().ci());
    }

    @Test
    void oneSeedHasNoTestAndNoBootstrap() {
        PairedComparison c = PairedComparison.of("a", "b", MetricDirection.HIGHER_IS_BETTER, List.of(3L),
                new double[] {0.6}, new double[] {0.5}, InferenceSettings.DEFAULT);
        assertEquals(0.1, c.meanDifference(), 1e-12);
        assertTrue(c.test().isEmpty());
        assertTrue(c.bootstrapCi().isEmpty());
        assertFalse(c.significant());
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.meanCi(new double[] {1}, 0.95, 1000, 1));
    }
}
