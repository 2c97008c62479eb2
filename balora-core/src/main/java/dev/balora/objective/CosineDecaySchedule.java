package dev.balora.objective;

/**
 * Cosine decay of the factor from 1 at step 0 to {@code floor} at the last step:
 * {@code floor + (1 - floor) * 0.5 * (1 + cos(pi * t / T))}, held at {@code floor} past the end.
 *
 * @param floor the final factor, in [0, 1]
 */
public record CosineDecaySchedule(double floor) implements WeightSchedule {

    /** Validates the floor. */
    public CosineDecaySchedule {
        if (!(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("cosine decay floor must be in [0, 1], got " + floor);
        }
    }

    @Override
    public double factor(long step, long totalSteps) {
        double progress = Math.min(1.0, (double) step / Math.max(totalSteps, 1));
        return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
