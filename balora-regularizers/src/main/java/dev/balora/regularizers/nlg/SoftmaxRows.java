package dev.balora.regularizers.nlg;

import ai.djl.ndarray.NDArray;
import dev.balora.objective.RegularizerInput;
import dev.balora.objective.Scalars;

/**
 * The detached {@code log softmax(z / T)} of the selected fine-tuned rows and its exponential, computed once per
 * micro-batch and shared by the terms that need them (KL and full-vocabulary entropy at the same temperature).
 * Read-only for every user: another term may hold the same arrays.
 *
 * @param logP [N, V], no gradient
 * @param p [N, V], {@code exp(logP)}, no gradient
 */
record SoftmaxRows(NDArray logP, NDArray p) {

    /** The shared pair for this selection and temperature; null when no position is selected. */
    static SoftmaxRows of(RegularizerInput in, TokenSelection selection, double temperature) {
        return in.memo("softmax:" + temperature + ":" + selection, () -> {
            NDArray rows = selection.logitRows(in);
            return rows == null ? null : compute(rows.stopGradient(), temperature);
        });
    }

    /** log softmax and softmax of detached rows at temperature T. */
    static SoftmaxRows compute(NDArray detachedRows, double temperature) {
        NDArray logP;
        if (temperature == 1) {
            logP = detachedRows.logSoftmax(-1);
        } else {
            try (NDArray scaled = Scalars.div(detachedRows, temperature)) {
                logP = scaled.logSoftmax(-1);
            }
        }
        return new SoftmaxRows(logP, logP.exp());
    }
}
