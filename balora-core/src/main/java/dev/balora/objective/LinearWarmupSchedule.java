package dev.balora.objective;

/**
 * Linear warm-up: {@code t / warmup} while {@code t < warmup = floor(warmupFraction * T)}, then 1 (1 throughout
 * when the warm-up is empty), as the ICLR code's "linear_warmup".
 *
 * @param warmupFraction share of the steps of the ramp, in [0, 1]
 */
public record LinearWarmupSchedule(double warmupFraction) implements WeightSchedule {

    /** Validates the fraction. */
    public LinearWarmupSchedule {
        if (!(warmupFraction >= 0 && warmupFraction <= 1)) {
            throw new IllegalArgumentException("warm-up fraction must be in [0, 1], got " + warmupFraction);
        }
    }

    @Override
    public double factor(long step, long totalSteps) {
        long warmup = (long) (warmupFraction * totalSteps);
        return step < warmup ? (double) step / warmup : 1.0;
    }
}
