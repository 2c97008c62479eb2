package dev.balora.objective;

/**
 * How a regularizer's weight changes over training: {@code lambda(t) = baseWeight * factor(t, totalSteps)}.
 *
 * <p>{@code t} counts optimizer steps completed (0 for the first update), never micro-batches, so gradient
 * accumulation does not stretch a schedule.
 */
public interface WeightSchedule {

    /**
     * The multiplier of the base weight at step {@code t}.
     *
     * @param step optimizer steps completed, {@code >= 0}
     * @param totalSteps optimizer steps of the whole run, {@code >= 1}
     * @return the factor, in [0, 1] for the built-in schedules
     */
    double factor(long step, long totalSteps);

    /** Always 1. */
    static WeightSchedule constant() {
        return ConstantSchedule.INSTANCE;
    }

    /**
     * Cosine decay from 1 to {@code floor} over the run (the ICLR code's lambda1 schedule uses floor 0.1).
     *
     * @param floor the final factor, in [0, 1]
     */
    static WeightSchedule cosineDecay(double floor) {
        return new CosineDecaySchedule(floor);
    }

    /**
     * 0 for the first {@code offFraction} of the steps, a linear ramp to 1 over the next {@code rampFraction},
     * then 1 (the ICLR code's "two_phase" with 0.2 and 0.05).
     */
    static WeightSchedule twoPhase(double offFraction, double rampFraction) {
        return new TwoPhaseSchedule(offFraction, rampFraction);
    }

    /** A linear ramp from 0 to 1 over the first {@code warmupFraction} of the steps, then 1. */
    static WeightSchedule linearWarmup(double warmupFraction) {
        return new LinearWarmupSchedule(warmupFraction);
    }
}
