package dev.balora.recipe;

import java.util.Locale;

/**
 * The two kinds of fine-tuning the recipe runs, each with the defaults that suit it: sequence classification or
 * regression on an encoder (GLUE), and causal language modelling on a decoder (prompt/response JSONL, GSM8K).
 */
public enum TaskKind {
    /** A BERT-family encoder with a classification or regression head, on a GLUE task. */
    CLASSIFICATION("classification", Defaults.CLASSIFICATION),
    /** A decoder trained on the response tokens of prompt/response pairs. */
    CAUSAL_LM("causal-lm", Defaults.CAUSAL_LM);

    private final String id;
    private final Defaults defaults;

    TaskKind(String id, Defaults defaults) {
        this.id = id;
        this.defaults = defaults;
    }

    /** The name used in run.json and on the command line. */
    public String id() {
        return id;
    }

    /** The defaults of settings left unset. */
    public Defaults defaults() {
        return defaults;
    }

    /** The PEFT {@code task_type} of adapters trained for this kind. */
    public String peftTaskType() {
        return this == CLASSIFICATION ? "SEQ_CLS" : "CAUSAL_LM";
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * Parses {@code classification} or {@code causal-lm}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TaskKind parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (TaskKind k : values()) {
            if (k.id.equals(v)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown task kind '" + value + "'; use classification or causal-lm");
    }

    /**
     * What a setting is when the user gives none. Strings are the values shown in {@code --help}, so the help
     * text and the behaviour cannot drift apart.
     *
     * @param learningRate peak learning rate
     * @param batchSize examples per micro-batch
     * @param maxLength tokens per example
     * @param epochs epochs
     * @param warmupRatio warm-up share of all steps
     * @param weightDecay AdamW weight decay
     * @param alphaPerRank lora_alpha as a multiple of the rank
     * @param preset the BA-LoRA preset
     */
    public record Defaults(String learningRate, int batchSize, int maxLength, int epochs, String warmupRatio,
            String weightDecay, int alphaPerRank, String preset) {

        /** Encoders on GLUE: the settings of the SST-2 runs in BENCHMARKS-sst2.md. */
        public static final Defaults CLASSIFICATION = new Defaults("5e-4", 32, 128, 3, "0.06", "0.01", 2,
                "nlu-cyp-jlu-ai");
        /** Decoders: PiSSA's fine-tuning settings (lr 2e-5, alpha = r, no weight decay). */
        public static final Defaults CAUSAL_LM = new Defaults("2e-5", 8, 512, 1, "0.03", "0", 1, "nlg-iclr");
    }
}
