package dev.balora.adapter.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.adapter.LoraAdapter;
import dev.balora.adapter.LoraModel;
import dev.balora.nn.Linear;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches the commonest PiSSA mistake: loading a PiSSA adapter onto the ORIGINAL base instead of its residual,
 * which silently counts the principal part twice.
 *
 * <p>For a residual, the largest singular value of W_res is sigma_{r+1} of the original W, below the largest
 * singular value of the initial update s B0 A0 (sigma_1 of W); for the original base it is sigma_1 itself. One
 * layer is checked by power iteration on the device.
 */
final class ResidualCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ResidualCheck.class);
    private static final int ITERATIONS = 30;

    private ResidualCheck() {}

    /** Whether the first adapted weight looks like an original base weight rather than a PiSSA residual. */
    static boolean looksLikeOriginalBase(LoraModel lora) {
        if (lora.adapters().isEmpty()) {
            return false;
        }
        LoraAdapter a = lora.adapters().values().iterator().next();
        Linear linear = lora.model() == null ? null : dev.balora.nn.Layers.linears(lora.model()).get(a.path());
        if (linear == null || a.merged()) {
            return false;
        }
        try (NDManager scope = lora.model().manager().newSubManager()) {
            NDArray init = a.b0().matMul(a.a0()).mul(a.scaling());
            init.attach(scope);
            double top = largestSingularValue(linear.weight().array(), scope);
            double principal = largestSingularValue(init, scope);
            return top >= 0.99 * principal;
        }
    }

    /** Logs a warning when {@link #looksLikeOriginalBase} holds. */
    static void warnIfOriginalBase(LoraModel lora, Object adapterLocation) {
        if (looksLikeOriginalBase(lora)) {
            LOG.warn("{} is a PiSSA adapter but the model it was loaded onto looks like the ORIGINAL base (its "
                    + "largest singular value is not below the adapter's): load it onto the residual model it was "
                    + "saved with, or convert it with PissaToLora (balora export --to lora) for the original base",
                    adapterLocation);
        }
    }

    private static double largestSingularValue(NDArray w, NDManager scope) {
        NDArray v = scope.ones(new ai.djl.ndarray.types.Shape(w.getShape().get(1), 1));
        double sigma = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            NDArray u = w.matMul(v);
            NDArray next = w.transpose().matMul(u);
            double norm = next.norm().getFloat();
            if (norm == 0) {
                return 0;
            }
            sigma = Math.sqrt(norm / v.norm().getFloat());
            v = next.div(norm);
        }
        return sigma;
    }
}
