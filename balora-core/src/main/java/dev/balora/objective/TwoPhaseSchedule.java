package dev.balora.objective;

/**
 * Off, ramp, on: 0 while {@code t < off}, {@code (t - off) / ramp} while {@code t < off + ramp}, then 1, with
 * {@code off = floor(offFraction * T)} and {@code ramp = max(floor(rampFraction * T), 1)} as in the ICLR code.
 *
 * @param offFraction share of the steps with the term switched off, in [0, 1]
 * @param rampFraction share of the steps of the linear ramp, in [0, 1]
 */
public record TwoPhaseSchedule(double offFraction, double rampFraction) implements WeightSchedule {

    /** Validates the fractions. */
    public TwoPhaseSchedule {
        if (!(offFraction >= 0 && offFraction <= 1 && rampFraction >= 0 && rampFraction <= 1)) {
            throw new IllegalArgumentException("two-phase fractions must be in [0, 1], got off=" + offFraction
                    + ", ramp=" + rampFraction);
        }
    }

    @Override
    public double factor(long step, long totalSteps) {
        long off = (long) (offFraction * totalSteps);
        long ramp = Math.max((long) (rampFraction * totalSteps), 1);
        if (step < off) {
            return 0.0;
        }
        if (step < off + ramp) {
            return (double) (step - off) / ramp;
        }
        return 1.0;
    }
}
