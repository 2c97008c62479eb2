package dev.balora.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Student's t quantiles and CDF against published table values and the closed forms for 2 and 4 df. */
class StudentTMatchesPublishedTables {
    @Test
    void quantilesMatchTables() {
        // Two-sided 95 % critical values, as printed in standard t tables (6 decimals).
        assertEquals(12.706205, StudentT.quantile(0.975, 1), 1e-6);
        assertEquals(4.302653, StudentT.quantile(0.975, 2), 1e-6);
        assertEquals(2.776445, StudentT.quantile(0.975, 4), 1e-6);
        assertEquals(2.262157, StudentT.quantile(0.975, 9), 1e-6);
        assertEquals(4.302653, StudentT.critical(0.95, 2), 1e-6);
        assertEquals(-2.776445, StudentT.quantile(0.025, 4), 1e-6);
        assertEquals(0.0, StudentT.quantile(0.5, 3), 1e-12);
    }

    @Test
    void cdfMatchesClosedForms() {
        for (double t : new double[] {-3.1, -0.4, 0, 0.7, 2.5, 9.0}) {
            // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
            assertEquals(0.5 + t / (2 * Math.sqrt(2 + t * t)), StudentT.cdf(t, 2), 1e-12, "df 2, t " + t);
            // df = 4: F(t) = 1/2 + (3/8) t / sqrt(1 + t^2/4) * (1 - t^2 / (12 (1 + t^2/4))).
            double x = 1 + t * t / 4;
            double f4 = 0.5 + 0.375 * t / Math.sqrt(x) * (1 - t * t / (12 * x));
            assertEquals(f4, StudentT.cdf(t, 4), 1e-12, "df 4, t " + t);
        }
        assertEquals(0.975, StudentT.cdf(4.302653, 2), 1e-7);
    }

    @Test
    void twoSidedPValues() {
        // df = 2: P(|T| >= t) = 1 - t / sqrt(t^2 + 2).
        double t = 2.598076211353316;
        assertEquals(1 - t / Math.sqrt(t * t + 2), StudentT.twoSidedP(t, 2), 1e-12);
        assertEquals(StudentT.twoSidedP(t, 2), StudentT.twoSidedP(-t, 2), 0);
        assertEquals(1.0, StudentT.twoSidedP(0, 5), 0);
        assertEquals(0.0, StudentT.twoSidedP(Double.POSITIVE_INFINITY, 5), 0);
        assertEquals(0.05, StudentT.twoSidedP(2.776445, 4), 1e-7);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1.0, 3));
        assertThrows(IllegalArgumentException.class, () -> StudentT.cdf(1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> StudentT.twoSidedP(Double.NaN, 3));
        assertThrows(IllegalArgumentException.class, () -> StudentT.critical(95, 3));
    }
}
