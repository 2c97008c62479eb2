package dev.balora.train;

import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Evaluates the model being trained (e.g. GLUE dev metrics); the trainer calls it without gradients. */
@FunctionalInterface
public interface Evaluation {

    /**
     * Evaluates.
     *
     * @param manager a sub-manager for temporaries, closed afterwards
     * @return metric name to value; the first entry is the main metric
     */
    Map<String, Double> evaluate(NDManager manager);
}
