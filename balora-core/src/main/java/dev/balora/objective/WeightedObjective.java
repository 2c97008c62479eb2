package dev.balora.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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
        NDArray total = taskLoss;
        List<ObjectiveTerms.Term> terms = new ArrayList<>(entries.size());
        // Terms that build their gradient on the logit rows by hand share one buffer and one graph node.
        NDArray shared = null;
        double sharedValue = 0;
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
                g.muli(Scalars.like(g, weight));
                if (shared == null) {
                    shared = g;
                } else {
                    shared.addi(g);
                    g.close();
                }
                sharedValue += weight * hand.value();
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
                total = total.add(Scalars.mul(r, weight).reshape(taskLoss.getShape()));
            }
        }
        if (shared != null) {
            total = total.add(RowGradient.attach(in.logitRows(), shared, sharedValue).reshape(taskLoss.getShape()));
        }
        double task = taskLoss.toType(DataType.FLOAT64, false).getDouble();
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
