package dev.balora.recipe;

import dev.balora.adapter.InitMethod;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The fine-tuning methods: how the adapters start and whether BA-LoRA's regularizers join the task loss. */
public enum Method {
    /** LoRA: Kaiming-uniform A, zero B, task loss only. */
    LORA("lora", InitMethod.LORA, false),
    /** PiSSA: principal singular triplets of W by an exact SVD, task loss only. */
    PISSA("pissa", InitMethod.PISSA, false),
    /** PiSSA with a randomized SVD (PEFT's {@code pissa_niter_N}): seconds instead of minutes on big models. */
    PISSA_FAST("pissa-fast", InitMethod.PISSA_FAST, false),
    /** BA-LoRA: PiSSA init plus the consistency, diversity and singular-value terms of a preset. */
    BALORA("balora", InitMethod.PISSA, true);

    private final String id;
    private final InitMethod init;
    private final boolean regularized;

    Method(String id, InitMethod init, boolean regularized) {
        this.id = id;
        this.init = init;
        this.regularized = regularized;
    }

    /** The name used on the command line and in run.json. */
    public String id() {
        return id;
    }

    /** How the adapter factors start unless the adapter settings name another init. */
    public InitMethod defaultInit() {
        return init;
    }

    /** Whether BA-LoRA's regularizers (and so the frozen reference pass) are part of the objective. */
    public boolean regularized() {
        return regularized;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * Parses {@code lora}, {@code pissa}, {@code pissa-fast} or {@code balora} (also {@code ba-lora}).
     *
     * @throws IllegalArgumentException listing the accepted names
     */
    public static Method parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Method m : values()) {
            if (m.id.equals(n) || m.id.equals(n.replace("-", ""))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; use "
                + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")));
    }
}
