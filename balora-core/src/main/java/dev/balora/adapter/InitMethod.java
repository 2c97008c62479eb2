package dev.balora.adapter;

import java.util.Locale;

/** How the adapter factors A and B start, with PEFT's {@code init_lora_weights} spelling of each. */
public enum InitMethod {
    /** Kaiming-uniform A (a = sqrt(5)), zero B: PEFT's default ({@code init_lora_weights = true}). */
    LORA,
    /** A ~ Normal(0, 1/r), zero B ({@code "gaussian"}). */
    GAUSSIAN,
    /** Principal singular triplets of W by an exact SVD; the base weight becomes the residual ({@code "pissa"}). */
    PISSA,
    /** PiSSA with a randomized SVD ({@code "pissa_niter_N"}). */
    PISSA_FAST;

    /** Whether this init takes the principal part out of the base weight (W becomes W_res). */
    public boolean writesResidual() {
        return this == PISSA || this == PISSA_FAST;
    }

    /**
     * PEFT's {@code init_lora_weights} value: {@code true}, {@code "gaussian"}, {@code "pissa"} or
     * {@code "pissa_niter_N"}.
     *
     * @param niter subspace iterations (used by {@link #PISSA_FAST} only)
     * @return a Boolean or a String
     */
    public Object peftValue(int niter) {
        return switch (this) {
            case LORA -> Boolean.TRUE;
            case GAUSSIAN -> "gaussian";
            case PISSA -> "pissa";
            case PISSA_FAST -> "pissa_niter_" + niter;
        };
    }

    /**
     * Parses a command-line name: {@code lora}, {@code gaussian}, {@code pissa}, {@code pissa-fast}
     * (underscores accepted).
     *
     * @throws IllegalArgumentException listing the accepted names
     */
    public static InitMethod parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (InitMethod m : values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown init '" + name + "'; use lora, gaussian, pissa or pissa-fast");
    }
}
