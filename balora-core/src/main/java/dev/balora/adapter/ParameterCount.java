package dev.balora.adapter;

/**
 * Trainable versus total parameter elements of an adapted model (PEFT's {@code print_trainable_parameters}).
 *
 * @param trainable elements the optimizer updates (adapters and trained heads)
 * @param total all elements, adapters included
 */
public record ParameterCount(long trainable, long total) {

    /** Trainable share in percent. */
    public double trainablePercent() {
        return total == 0 ? 0 : 100.0 * trainable / total;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "trainable params: %,d || all params: %,d || trainable%%: %.4f",
                trainable, total, trainablePercent());
    }
}
