package dev.balora.regularizers.nlu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.regularizers.Numeric;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Autograd gradients of the NLU terms equal central finite differences: FLOAT64 arrays, h = 1e-6, every
 * coordinate of a [6, 4] input, tolerance 1e-7 + 1e-5 * |g|.
 */
class NluTermsGradientsMatchFiniteDifferences {
    private static final Shape SHAPE = new Shape(6, 4);

    private static void check(Regularizer term, boolean onHidden) {
        double[] x = Numeric.gaussian(11, 24, 2);
        double[] ref = Numeric.gaussian(12, 24, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray refArray = m.create(ref, SHAPE);
            Function<NDArray, NDArray> f = a -> {
                RegularizerInput.Builder b = RegularizerInput.builder();
                if (onHidden) {
                    b.setLogits(m.zeros(new Shape(6, 2))).optHiddenStates(a, refArray);
                } else {
                    b.setLogits(a).optReferenceLogits(refArray);
                }
                return term.compute(b.build());
            };
            Numeric.assertGradientMatchesFiniteDifferences(m, x, SHAPE, f, 1e-5, term.name());
        }
    }

    @Test
    void consistency() {
        check(NormalizedConsistency.onLogits(), false);
    }

    @Test
    void hiddenStateConsistency() {
        check(NormalizedConsistency.onHiddenStates(), true);
    }

    @Test
    void covarianceDiversity() {
        check(new CovarianceDiversity(), false);
    }

    @Test
    void singularValueRatio() {
        check(SpectralConcentration.topK(2), false);
    }
}
