package dev.balora.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.balora.data.Batch;
import dev.balora.data.BatchSource;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Param;
import dev.balora.objective.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimizer step: its micro-batches (each with the task's reference pass, then the trainable pass and backward),
 * the global gradient norm, clipping and the AdamW update.
 *
 * <p>Each micro-batch runs in its own sub-manager (closed at its end): the task's reference pass first, with
 * gradients off and in a scope of its own that frees everything but its outputs as soon as it returns, then the
 * trainable pass and backward inside a GradientCollector (one per JVM, so one at a time). The loss of micro-batch i
 * is weighted by its share of the step's examples, so k micro-batches accumulate the gradient of the mean over all
 * of them. The engine is re-seeded from (seed, step, micro-batch) before every micro-batch, which makes dropout
 * reproducible across a resume without saving any generator state.
 */
final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final TrainingTask task;
    private final BatchSource data;
    private final TrainerConfig config;
    private final Map<String, Param> trainable;
    private final AdamW optimizer;
    private final NDManager manager;

    StepRunner(TrainingTask task, BatchSource data, TrainerConfig config, Map<String, Param> trainable,
            AdamW optimizer, NDManager manager) {
        this.task = task;
        this.data = data;
        this.config = config;
        this.trainable = trainable;
        this.optimizer = optimizer;
        this.manager = manager;
    }

    /**
     * Runs one optimizer step.
     *
     * @param group the step's micro-batches (dataset indices)
     * @param step the 0-based step
     * @param total steps of the run
     * @param epoch the 0-based epoch
     * @param lr the learning rate of this step
     * @return what happened; parameters are untouched when the loss or the gradient norm was not finite
     */
    StepRecord run(List<int[]> group, int step, int total, int epoch, float lr) {
        long t0 = System.nanoTime();
        int examples = 0;
        for (int[] b : group) {
            examples += b.length;
        }
        long tokens = 0;
        double loss = 0;
        Map<String, Double> terms = new LinkedHashMap<>();
        Map<String, Double> lambdas = new LinkedHashMap<>();
        boolean finite = true;
        Engine engine = Engine.getInstance();
        for (int i = 0; i < group.size() && finite; i++) {
            int[] indices = group.get(i);
            long seed = microSeed(config.seed(), step, i);
            engine.setRandomSeed((int) seed);
            // The scope also closes temporaries that attach elsewhere: an op whose first operand is a parameter
            // (a weight penalty, a regularizer on a head) attaches its result to the parameter's manager.
            try (NDScope scope = new NDScope(); NDManager sub = manager.newSubManager()) {
                scope.suppressNotUsedWarning();
                Batch batch = data.load(indices, sub);
                tokens += batch.tokenCount();
                StepContext ctx = new StepContext(sub, step, total, epoch, i, seed, ForwardContext.TRAINING);
                NDList reference = reference(batch, ctx);
                double w = (double) batch.size() / examples;
                try (GradientCollector collector = engine.newGradientCollector()) {
                    StepLoss sl = task.loss(batch, reference, ctx);
                    double value = sl.loss().getFloat();
                    if (!Double.isFinite(value)) {
                        finite = false;
                        loss = value;
                    } else {
                        for (Map.Entry<String, Double> t : sl.terms().entrySet()) {
                            terms.merge(t.getKey(), w * t.getValue(), Double::sum);
                        }
                        lambdas.putAll(sl.weights());
                        loss += w * value;
                        collector.backward(Scalars.mul(sl.loss(), w)); // not mul(Number): see Scalars
                    }
                }
            }
        }
        double norm = Double.NaN;
        boolean clipped = false;
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Map<String, NDArray> values = new LinkedHashMap<>();
            for (Map.Entry<String, Param> e : trainable.entrySet()) {
                NDArray p = e.getValue().array();
                values.put(e.getKey(), p);
                NDArray g = p.getGradient();
                if (g != null) {
                    grads.put(e.getKey(), g);
                }
            }
            if (finite) {
                norm = GradientClipping.globalNorm(grads.values());
                finite = Double.isFinite(norm);
                if (!finite) {
                    logNonFiniteGradients(grads, step, group);
                }
            }
            if (finite) {
                if (config.maxGradNorm() > 0) {
                    clipped = GradientClipping.clip(grads.values(), norm, config.maxGradNorm()) < 1.0;
                }
                optimizer.update(values, grads, lr);
            }
            for (NDArray g : grads.values()) {
                // set(), not subi(g): x - x stays NaN when a gradient overflowed
                g.set(new NDIndex("..."), 0f);
            }
        } finally {
            // getGradient() wraps the gradient in a new handle owned by the parameter's manager, outside any
            // NDScope: without this, every step would leak one handle per parameter.
            for (NDArray g : grads.values()) {
                g.close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new StepRecord(step + 1, epoch, finite ? loss : (Double.isFinite(loss) ? Double.NaN : loss), terms,
                lambdas, lr, norm, clipped, examples, tokens, tokens / Math.max(seconds, 1e-9), seconds, !finite);
    }

    /**
     * Runs the task's reference pass in its own scope and keeps only its outputs (moved to the micro-batch's
     * manager). Without gradients nothing else of that pass is needed, and holding its activations until the end of
     * the micro-batch would stack them on top of the trainable pass's activations at the peak.
     */
    private NDList reference(Batch batch, StepContext ctx) {
        try (NDScope scope = new NDScope(); NDManager refManager = ctx.manager().newSubManager()) {
            StepContext refCtx = new StepContext(refManager, ctx.step(), ctx.totalSteps(), ctx.epoch(),
                    ctx.microBatch(), ctx.seed(), ctx.forward());
            NDList out = task.reference(batch, refCtx);
            NDScope.unregister(out);
            out.attach(ctx.manager());
            return out;
        }
    }

    /** Names where a non-finite gradient appears, so that a skipped step can be traced to a layer and batch. */
    private static void logNonFiniteGradients(Map<String, NDArray> grads, int step, List<int[]> group) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : grads.entrySet()) {
            NDArray g = e.getValue();
            long nan = g.isNaN().sum().toType(DataType.INT64, false).getLong();
            long inf = g.isInfinite().sum().toType(DataType.INT64, false).getLong();
            if (nan + inf > 0) {
                bad.add(e.getKey() + " (" + nan + " NaN, " + inf + " inf of " + g.size() + ")");
            }
        }
        StringBuilder rows = new StringBuilder();
        for (int[] b : group) {
            rows.append(Arrays.toString(b));
        }
        LOG.warn("step {}: non-finite gradient in {} of {} tensors: {}; training rows {}", step + 1, bad.size(),
                grads.size(), bad, rows);
    }

    /** The engine seed of one micro-batch, a function of (seed, step, micro-batch) only. */
    static long microSeed(long seed, int step, int micro) {
        long z = seed ^ (0x9E3779B97F4A7C15L * (step + 1L)) ^ (0xC2B2AE3D27D4EB4FL * (micro + 1L));
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return (z ^ (z >>> 33)) & 0x7fffffffL;
    }
}
