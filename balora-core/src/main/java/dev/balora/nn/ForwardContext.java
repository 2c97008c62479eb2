package dev.balora.nn;

/**
 * How a forward pass runs: training (dropout on) or not, and whether it is the reference pass that reproduces
 * the model as it was before training (frozen initial adapters and heads, dropout off).
 *
 * @param training dropout and other training-only behaviour on
 * @param reference use the frozen initial adapter state (A0, B0) and initial heads
 * @param adaptersEnabled whether adapters contribute at all (false runs the bare residual/base weights)
 */
public record ForwardContext(boolean training, boolean reference, boolean adaptersEnabled) {

    /** Inference with adapters: no dropout. */
    public static final ForwardContext INFERENCE = new ForwardContext(false, false, true);

    /** Training with adapters: dropout on. */
    public static final ForwardContext TRAINING = new ForwardContext(true, false, true);

    /** The pre-training reference pass: initial adapter state, no dropout, meant to run without gradients. */
    public static final ForwardContext REFERENCE = new ForwardContext(false, true, true);

    /** Adapters switched off: the bare weights (for PiSSA, the residual model). */
    public static final ForwardContext ADAPTERS_DISABLED = new ForwardContext(false, false, false);
}
