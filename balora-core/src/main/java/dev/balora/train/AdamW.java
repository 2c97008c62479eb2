package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.checkpoint.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay (Loshchilov and Hutter; PyTorch's {@code torch.optim.AdamW} update), keeping
 * its moments by parameter name so that they can be checkpointed and restored exactly.
 *
 * <p>DJL's own Adam keys its state by internal parameter ids and exposes no way to save it, so a resumed run
 * would restart the moments; this class is the few lines of in-place NDArray arithmetic that avoid that. Per
 * update, with t the number of updates so far including this one:
 *
 * <pre>
 *   p <- p * (1 - lr * wd)
 *   m <- b1 m + (1 - b1) g          v <- b2 v + (1 - b2) g^2
 *   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * Updates run with gradients off (outside any GradientCollector) and in place, so parameters keep their identity.
 */
public final class AdamW {
    // Doubles, as in PyTorch: (float) (1 - 0.999) is 0.001f, while 1 - 0.999f is not.
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager stateManager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int updates;

    /**
     * Creates the optimizer.
     *
     * @param beta1 decay of the first moment (0.9)
     * @param beta2 decay of the second moment (0.999)
     * @param epsilon added to the denominator (1e-8)
     * @param weightDecay decoupled weight decay, explicit (PEFT recipes often use 0)
     * @param stateManager owner of the moment arrays (lives as long as the optimizer)
     */
    public AdamW(double beta1, double beta2, double epsilon, double weightDecay, NDManager stateManager) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need epsilon > 0 and weightDecay >= 0, got " + epsilon + ", "
                    + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.stateManager = stateManager;
    }

    /** Number of updates applied so far. */
    public int updates() {
        return updates;
    }

    /**
     * Applies one update to every parameter that has a gradient.
     *
     * @param params parameter values by name (updated in place)
     * @param grads their gradients by the same names (unchanged)
     * @param lr the learning rate of this step
     */
    public void update(Map<String, NDArray> params, Map<String, NDArray> grads, float lr) {
        updates++;
        double bc1 = 1.0 - Math.pow(beta1, updates);
        double bc2Sqrt = Math.sqrt(1.0 - Math.pow(beta2, updates));
        float stepSize = (float) (lr / bc1);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = e.getKey();
            NDArray p = e.getValue();
            NDArray g = grads.get(name);
            if (g == null) {
                continue;
            }
            NDArray m = firstMoments.computeIfAbsent(name, k -> zerosLike(p));
            NDArray v = secondMoments.computeIfAbsent(name, k -> zerosLike(p));
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                if (weightDecay != 0) {
                    p.muli((float) (1.0 - lr * weightDecay));
                }
                m.muli((float) beta1).addi(g.mul((float) (1.0 - beta1)));
                v.muli((float) beta2).addi(g.square().muli((float) (1.0 - beta2)));
                NDArray denom = v.sqrt().divi((float) bc2Sqrt).addi((float) epsilon);
                p.subi(m.div(denom).muli(stepSize));
            }
        }
    }

    private NDArray zerosLike(NDArray p) {
        NDArray z = stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice());
        NDScope.unregister(z);
        return z;
    }

    /** The moments as named tensors ({@code exp_avg.<name>}, {@code exp_avg_sq.<name>}), copied to the host. */
    public TensorSource state() {
        InMemoryTensors out = new InMemoryTensors("AdamW state");
        for (Map.Entry<String, NDArray> e : firstMoments.entrySet()) {
            out.put("exp_avg." + e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        for (Map.Entry<String, NDArray> e : secondMoments.entrySet()) {
            out.put("exp_avg_sq." + e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        return out;
    }

    /**
     * Restores moments and update count saved by {@link #state()}.
     *
     * @param state the saved tensors
     * @param updates the number of updates that had been applied
     * @param params the parameters the moments belong to (for shapes and device)
     */
    public void restore(TensorSource state, int updates, Map<String, NDArray> params) {
        for (NDArray old : firstMoments.values()) {
            old.close();
        }
        for (NDArray old : secondMoments.values()) {
            old.close();
        }
        firstMoments.clear();
        secondMoments.clear();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String m = "exp_avg." + e.getKey();
            String v = "exp_avg_sq." + e.getKey();
            if (!state.contains(m)) {
                continue; // the parameter had not been updated yet
            }
            firstMoments.put(e.getKey(), load(state, m, e.getValue()));
            secondMoments.put(e.getKey(), load(state, v, e.getValue()));
        }
        this.updates = updates;
    }

    private NDArray load(TensorSource state, String name, NDArray like) {
        NDArray a = state.load(name, stateManager, like.getShape().getShape()).toDevice(like.getDevice(), false);
        a.attach(stateManager);
        NDScope.unregister(a);
        return a;
    }
}
