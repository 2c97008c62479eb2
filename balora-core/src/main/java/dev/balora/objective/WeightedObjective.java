package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The training objective {@code L = L_task + sum_i lambda_i(t) * R_i}, with {@code lambda_i(t) = w_i *
 * schedule_i.factor(t, T)} over optimizer steps.
 *
 * <p>A term whose weight is 0 at this step is not computed (as in the reference code), which saves its cost
 * during a warm-up phase. Terms that build their gradient on the logit rows by hand
 * ({@link Regularizer#gradientOnRows}) are summed, weighted, in one buffer and attached through one product; each
 * term's value is still reported on its own.
 */
public final class WeightedObjective {
    private final List<Entry> entries;
    private final boolean computeZeroWeightTerms;

    private WeightedObjective(Builder b) {
        this.entries = List.copyOf(b.entries);
        this.computeZeroWeightTerms = b.computeZeroWeightTerms;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The regularizers with their base weights and schedules, in evaluation order. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Whether a term that can be computed during the run reads the pooled hidden states
     * ({@link Regularizer#readsHiddenStates()}); terms whose base weight is 0 are never computed (unless zero-weight
     * terms are) and do not count.
     */
    public boolean readsHiddenStates() {
        for (Entry e : entries) {
            if ((e.baseWeight() != 0 || computeZeroWeightTerms) && e.regularizer().readsHiddenStates()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #evaluate} computes this entry at the given step (its weight is not 0, or zero-weight terms are computed). */
    public boolean computes(Entry e, long step, long totalSteps) {
        return computeZeroWeightTerms || e.weightAt(step, totalSteps) != 0;
    }

    /**
     * Evaluates the objective.
     *
     * @param taskLoss the task loss, a scalar with gradient
     * @param in the outputs the regularizers see; its step drives the schedules
     * @return the total (gradient flowing to the task loss and every computed term) and the logged values
     * @throws NonFiniteValueException when a computed term is NaN or infinite
     */
    public ObjectiveTerms evaluate(NDArray taskLoss, RegularizerInput in) {
        Objects.requireNonNull(taskLoss, "taskLoss");
        if (taskLoss.getShape().size() != 1) {
            throw new IllegalArgumentException("the task loss must be a scalar, got shape " + taskLoss.getShape());
        }
        return evaluate(taskLoss, null, in);
    }

    /**
     * Evaluates the objective on a task loss whose gradient with respect to the logit rows was built by hand (e.g.
     * {@link dev.balora.model.ShiftedCrossEntropy#meanRowsByHand}): the hand-built term gradients are added to it in
     * place and everything is attached through one product.
     *
     * @param task the task loss's value and dense gradient with respect to {@code in.logitRows()} (handed over)
     * @param in the outputs the regularizers see (sequence logits)
     * @return the total (a scalar with gradient) and the logged values
     * @throws NonFiniteValueException when a computed term is NaN or infinite
     */
    public ObjectiveTerms evaluate(RowGradient task, RegularizerInput in) {
        Objects.requireNonNull(task, "task");
        if (task.isSparse() || !in.isSequence() || !task.gradient().getShape().equals(in.logitRows().getShape())) {
            throw new IllegalArgumentException("the task gradient must be dense and shaped like the logit rows "
                    + (in.isSequence() ? in.logitRows().getShape() : in.sequenceShape()) + ", got "
                    + task.gradient().getShape());
        }
        return evaluate(null, task, in);
    }

    private ObjectiveTerms evaluate(NDArray taskLoss, RowGradient taskHand, RegularizerInput in) {
        NDArray total = taskLoss;
        Shape scalar = taskLoss == null ? new Shape() : taskLoss.getShape();
        List<ObjectiveTerms.Term> terms = new ArrayList<>(entries.size());
        // Terms that build their gradient on the logit rows by hand share one buffer and one graph node.
        NDArray shared = taskHand == null ? null : taskHand.gradient();
        double sharedValue = taskHand == null ? 0 : taskHand.value();
        List<RowGradient> sparse = new ArrayList<>();
        List<Double> sparseWeights = new ArrayList<>();
        for (Entry e : entries) {
            double weight = e.weightAt(in.step(), in.totalSteps());
            if (weight == 0 && !computeZeroWeightTerms) {
                terms.add(new ObjectiveTerms.Term(e.regularizer().name(), 0.0, 0.0, false));
                continue;
            }
            RowGradient hand = in.isSequence() ? e.regularizer().gradientOnRows(in) : null;
            if (hand != null) {
                requireFinite(e, hand.value(), in);
                terms.add(new ObjectiveTerms.Term(e.regularizer().name(), weight, hand.value(), true));
                NDArray g = hand.gradient();
                if (weight == 0) {
                    g.close();
                    continue;
                }
                sharedValue += weight * hand.value();
                if (hand.isSparse()) {
                    sparse.add(hand);
                    sparseWeights.add(weight);
                } else if (shared == null) {
                    shared = g.muli(Scalars.like(g, weight));
                } else {
                    hand.addTo(shared, weight);
                    g.close();
                }
                continue;
            }
            NDArray r = e.regularizer().compute(in);
            if (r.getShape().size() != 1) {
                throw new IllegalStateException("regularizer '" + e.regularizer().name()
                        + "' returned shape " + r.getShape() + ", expected a scalar");
            }
            double value = r.toType(DataType.FLOAT64, false).getDouble();
            requireFinite(e, value, in);
            terms.add(new ObjectiveTerms.Term(e.regularizer().name(), weight, value, true));
            if (weight != 0) {
                // No toType here: it would cut the graph (see Scalars).
                NDArray weighted = Scalars.mul(r, weight).reshape(scalar);
                total = total == null ? weighted : total.add(weighted);
            }
        }
        if (!sparse.isEmpty() && shared == null) {
            NDArray rows = in.logitRows();
            shared = rows.getManager().zeros(rows.getShape(), rows.getDataType());
        }
        for (int i = 0; i < sparse.size(); i++) {
            sparse.get(i).addTo(shared, sparseWeights.get(i));
        }
        if (shared != null) {
            NDArray attached = RowGradient.attach(in.logitRows(), shared, sharedValue).reshape(scalar);
            total = total == null ? attached : total.add(attached);
        }
        double task = taskHand != null ? taskHand.value() : taskLoss.toType(DataType.FLOAT64, false).getDouble();
        return new ObjectiveTerms(total, task, terms);
    }

    private static void requireFinite(Entry e, double value, RegularizerInput in) {
        if (!Double.isFinite(value)) {
            String what = "regularizer '" + e.regularizer().name() + "'";
            throw new NonFiniteValueException(what, what + " is " + value + " at optimizer step " + in.step());
        }
    }

    /**
     * One regularizer with its base weight and schedule.
     *
     * @param regularizer the term
     * @param baseWeight w, the weight before the schedule's factor
     * @param schedule the factor over optimizer steps
     */
    public record Entry(Regularizer regularizer, double baseWeight, WeightSchedule schedule) {

        /** Validates the entry. */
        public Entry {
            Objects.requireNonNull(regularizer, "regularizer");
            Objects.requireNonNull(schedule, "schedule");
            if (!Double.isFinite(baseWeight) || baseWeight < 0) {
                throw new IllegalArgumentException("weight of '" + regularizer.name()
                        + "' must be finite and >= 0, got " + baseWeight);
            }
        }

        /** lambda(t) = baseWeight * schedule.factor(t, T). */
        public double weightAt(long step, long totalSteps) {
            return baseWeight * schedule.factor(step, totalSteps);
        }
    }

    /** Builder of {@link WeightedObjective}. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private boolean computeZeroWeightTerms;

        private Builder() {}

        /** Adds a term with a constant weight. */
        public Builder add(Regularizer regularizer, double weight) {
            return add(regularizer, weight, WeightSchedule.constant());
        }

        /** Adds a term with a base weight and a schedule. */
        public Builder add(Regularizer regularizer, double weight, WeightSchedule schedule) {
            Entry e = new Entry(regularizer, weight, schedule);
            if (!names.add(regularizer.name())) {
                throw new IllegalArgumentException("two regularizers are named '" + regularizer.name()
                        + "': names are logging keys and must be unique");
            }
            entries.add(e);
            return this;
        }

        /** Computes (and logs) terms even while their weight is 0; default false. */
        public Builder optComputeZeroWeightTerms(boolean compute) {
            this.computeZeroWeightTerms = compute;
            return this;
        }

        /** The objective (an empty one is the task loss alone). */
        public WeightedObjective build() {
            return new WeightedObjective(this);
        }
    }
}
