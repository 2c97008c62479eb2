package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import dev.balora.objective.Regularizer;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.RowGradient;
import dev.balora.objective.TokenLayout;
import dev.balora.regularizers.spectral.SingularValueRatio;
import java.util.Objects;

/**
 * The NLG singular-value term on the selected-token logits Z [N, V]:
 * {@code -(sum of the top-min(k, N, V) singular values) / denominator}, randomized on wide vocabularies.
 *
 * <p>With fewer than two selected tokens (or one column) the ratio is constant: the term is then 0, as the ICLR
 * code skips it.
 */
public final class SpectralConcentration implements Regularizer {
    private final SingularValueRatio ratio;
    private final TokenSelection selection;

    /**
     * @param ratio the ratio (ICLR: k = 10, Frobenius denominator, randomized above 4096 columns with 5 extra
     *     columns and 2 power iterations)
     * @param selection which positions are rows of Z
     */
    public SpectralConcentration(SingularValueRatio ratio, TokenSelection selection) {
        this.ratio = Objects.requireNonNull(ratio, "ratio");
        this.selection = Objects.requireNonNull(selection, "selection");
    }

    @Override
    public String name() {
        return "svd";
    }

    @Override
    public boolean[] positionsRead(TokenLayout layout) {
        return selection.positionsRead(layout);
    }

    @Override
    public NDArray compute(RegularizerInput in) {
        NlgInputs.requireSequence(in, name());
        NDArray z = selection.logitRows(in);
        if (z == null || z.getShape().get(0) < 2 || z.getShape().get(1) < 2) {
            return NlgInputs.zero(in);
        }
        return ratio.compute(z, in.step());
    }

    @Override
    public RowGradient gradientOnRows(RegularizerInput in) {
        NlgInputs.requireSequence(in, name());
        NDArray z = selection.logitRows(in);
        if (z == null || z != in.logitRows() || z.getShape().get(0) < 2 || z.getShape().get(1) < 2) {
            return null;
        }
        return ratio.valueAndGradient(z, in.step());
    }
}
