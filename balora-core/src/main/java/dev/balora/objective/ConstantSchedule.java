package dev.balora.objective;

/** The schedule whose factor is always 1. */
final class ConstantSchedule implements WeightSchedule {
    static final ConstantSchedule INSTANCE = new ConstantSchedule();

    private ConstantSchedule() {}

    @Override
    public double factor(long step, long totalSteps) {
        return 1.0;
    }

    @Override
    public String toString() {
        return "constant";
    }
}
