package dev.balora.app;

import dev.balora.adapter.InitMethod;
import java.util.Locale;

/** The three fine-tuning methods the app compares: how the adapters start and whether BA-LoRA's terms are added. */
public enum Method {
    /** LoRA: Kaiming-uniform A, zero B, task loss only. */
    LORA(InitMethod.LORA, false),
    /** PiSSA: principal singular triplets of W (exact SVD), task loss only. */
    PISSA(InitMethod.PISSA, false),
    /** BA-LoRA: PiSSA init plus the consistency, diversity and SVD regularizers of a preset. */
    BALORA(InitMethod.PISSA, true);

    private final InitMethod init;
    private final boolean regularized;

    Method(InitMethod init, boolean regularized) {
        this.init = init;
        this.regularized = regularized;
    }

    /** How the adapter factors start. */
    public InitMethod init() {
        return init;
    }

    /** Whether BA-LoRA's regularizers (and so the frozen reference pass) are part of the objective. */
    public boolean regularized() {
        return regularized;
    }

    /** The command-line spelling. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code lora}, {@code pissa} or {@code balora} (also {@code ba-lora}).
     *
     * @throws IllegalArgumentException listing the accepted names
     */
    public static Method parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (Method m : values()) {
            if (m.id().equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; use lora, pissa or balora");
    }
}
