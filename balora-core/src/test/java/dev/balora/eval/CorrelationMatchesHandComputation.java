package dev.balora.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CorrelationMatchesHandComputation {

    @Test
    void pearsonOfSmallSeries() {
        // dx = -2,-1,0,1,2; dy = -1,-2,1,0,2: sxy = 8, sxx = syy = 10, r = 0.8
        assertEquals(0.8, Correlation.pearson(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}), 1e-12);
    }

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4, 5}, Correlation.ranks(new double[] {1, 2, 2, 3, 4}), 0);
        assertArrayEquals(new double[] {4, 2, 2, 2, 5}, Correlation.ranks(new double[] {7, 1, 1, 1, 9}), 0);
    }

    @Test
    void spearmanWithTies() {
        // ranks x = 1,2.5,2.5,4,5 and y = 1,2,3.5,3.5,5: sxy = 8.75, sxx = syy = 9.5
        double rho = Correlation.spearman(new double[] {1, 2, 2, 3, 4}, new double[] {10, 20, 30, 30, 50});
        assertEquals(8.75 / 9.5, rho, 1e-12);
    }

    @Test
    void spearmanIgnoresMonotoneTransforms() {
        double[] x = {0.1, 0.5, 0.2, 0.9, 0.7};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(10 * x[i]);
        }
        assertEquals(1.0, Correlation.spearman(x, y), 1e-12);
        assertEquals(-1.0, Correlation.spearman(x, new double[] {5, 1, 4, -2, 0}), 1e-12);
    }

    @Test
    void rejectsUndefinedInputs() {
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[] {1, 2}, new double[] {3}));
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[] {1, 1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> Correlation.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}));
    }
}
