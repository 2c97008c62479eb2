package dev.balora.recipe;

import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueTask;
import dev.balora.data.jsonl.JsonlLayout;
import dev.balora.model.bert.ClassifierPooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the model learns from: a GLUE task and its folder, a causal-LM JSONL file (prompt/response, GSM8K or token
 * ids) with an optional held-out file, or fixed random token ids (for benchmarks). Options of one kind given for the
 * other are an error, not ignored; unset values are null and resolve to the kind's defaults.
 *
 * @param task a GLUE task name ({@code sst2}, ...), {@value #CAUSAL_LM}, {@value #GSM8K} (causal LM with the GSM8K
 *     layout), {@value #RANDOM_TOKENS}, or null to infer it from the data and the model
 * @param data the GLUE task's folder (train.tsv, dev.tsv) or the GLUE root holding it, or the training JSONL file
 * @param evalData causal LM only: a held-out JSONL file (loss and perplexity before, during and after training)
 * @param trainLimit use only the first N training examples, 0 = all
 * @param evalLimit use only the first N evaluation examples, 0 = all
 * @param maxLength tokens per example, special tokens included; null = the kind's default
 * @param badRows what a malformed data row does: fail or skip (with a warning naming file and line)
 * @param pooling classification only: what the head reads (auto, pooler, mean, cls); null = auto
 * @param layout causal LM only: PROMPT_RESPONSE, GSM8K or TOKEN_IDS; null = detect
 * @param template causal LM only: the GSM8K prompt template with {@code {question}}; null = the default
 */
public record TaskSettings(String task, String data, String evalData, int trainLimit, int evalLimit,
        Integer maxLength, String badRows, String pooling, String layout, String template) {

    /** The task name of causal-LM fine-tuning. */
    public static final String CAUSAL_LM = "causal-lm";
    /** Causal-LM fine-tuning on GSM8K's question/answer layout. */
    public static final String GSM8K = "gsm8k";
    /** Classification of fixed random token ids: every position real, one batch repeated (benchmarks). */
    public static final String RANDOM_TOKENS = "random-tokens";

    /** A GLUE task; {@code data} is the task's folder or the GLUE root. */
    public static Builder glue(String task, Path data) {
        return new Builder().optTask(task).setData(data);
    }

    /** Causal-LM fine-tuning on a JSONL file. */
    public static Builder causalLm(Path trainFile) {
        return new Builder().optTask(CAUSAL_LM).setData(trainFile);
    }

    /** A builder whose task kind is inferred from the data and the model. */
    public static Builder of(Path data) {
        return new Builder().setData(data);
    }

    /** {@code examples} fixed random sequences of {@code length} tokens, two classes (for benchmarks). */
    public static TaskSettings randomTokens(int examples, int length) {
        return new TaskSettings(RANDOM_TOKENS, null, null, examples, 0, length, "fail", null, null, null);
    }

    /** The task kind of resolved settings. */
    public TaskKind kind() {
        return CAUSAL_LM.equals(task) || GSM8K.equals(task) ? TaskKind.CAUSAL_LM : TaskKind.CLASSIFICATION;
    }

    /** Whether these settings train on random token ids. */
    public boolean randomTokens() {
        return RANDOM_TOKENS.equals(task);
    }

    /** The GLUE task (classification on real data only). */
    public GlueTask glueTask() {
        return GlueTask.parse(task);
    }

    /** What a malformed row does. */
    public BadRowPolicy badRowPolicy() {
        Recipes.require(badRows != null, "--bad-rows must not be empty");
        try {
            return BadRowPolicy.valueOf(badRows.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --bad-rows '" + badRows + "'; use fail or skip", e);
        }
    }

    /** What the classifier head reads. */
    public ClassifierPooling classifierPooling() {
        return ClassifierPooling.parse(pooling == null ? "auto" : pooling);
    }

    /** The JSONL layout, or null to detect it. */
    public JsonlLayout jsonlLayout() {
        if (GSM8K.equals(task)) {
            return JsonlLayout.GSM8K;
        }
        if (layout == null) {
            return null;
        }
        try {
            return JsonlLayout.valueOf(layout.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --layout '" + layout + "'; use prompt_response, gsm8k or "
                    + "token_ids", e);
        }
    }

    /** The data path. */
    public Path dataPath() {
        return Path.of(data);
    }

    /**
     * Infers the task from the data and the model when it is not given, fills the kind's defaults, checks that
     * every file exists and that no option of the other kind was given.
     *
     * @param modelType the model's {@code model_type} (from config.json)
     * @throws IllegalArgumentException naming the option at fault
     */
    TaskSettings resolve(String modelType) {
        String t = task == null ? null : task.trim().toLowerCase(Locale.ROOT);
        boolean encoder = isEncoder(modelType);
        if (RANDOM_TOKENS.equals(t)) {
            Recipes.require(encoder, "the " + RANDOM_TOKENS + " task needs a bert or roberta encoder, not "
                    + modelType);
            Recipes.require(trainLimit >= 1 && maxLength != null && maxLength >= 2,
                    RANDOM_TOKENS + " needs a number of examples >= 1 and a length >= 2");
            return new TaskSettings(t, null, null, trainLimit, 0, maxLength, "fail", pooling, null, null);
        }
        Recipes.require(data != null && !data.isBlank(), "--data is required (a GLUE task folder or a training "
                + "JSONL file)");
        Path path = Path.of(data);
        if (t == null) {
            t = inferTask(path, encoder);
        }
        TaskKind kind = CAUSAL_LM.equals(t) || GSM8K.equals(t) ? TaskKind.CAUSAL_LM : TaskKind.CLASSIFICATION;
        if (kind == TaskKind.CLASSIFICATION) {
            GlueTask glue = GlueTask.parse(t);
            t = glue.name().toLowerCase(Locale.ROOT);
            Recipes.require(encoder, "model_type '" + modelType + "' is a decoder; GLUE classification needs a bert "
                    + "or roberta encoder (use --task causal-lm with JSONL data for a decoder)");
            notFor(kind, "--eval-data", evalData, "a GLUE task's dev file comes from --data");
            notFor(kind, "--layout", layout, "it describes JSONL data");
            notFor(kind, "--template", template, "it formats GSM8K questions");
        } else {
            Recipes.require(!encoder, "model_type '" + modelType + "' is an encoder without a language-model head; "
                    + "causal-LM fine-tuning needs a decoder (llama, mistral, qwen2, gemma, gpt2)");
            notFor(kind, "--pooling", pooling, "it chooses what a classifier head reads");
        }
        int length = maxLength != null ? maxLength : kind.defaults().maxLength();
        Recipes.require(length >= 2, "--max-length must be >= 2, got " + length);
        Recipes.require(trainLimit >= 0, "--train-limit must be >= 0, got " + trainLimit);
        Recipes.require(evalLimit >= 0, "--eval-limit must be >= 0, got " + evalLimit);
        TaskSettings out = new TaskSettings(t, data, evalData, trainLimit, evalLimit, length,
                badRows == null ? "fail" : badRows.trim().toLowerCase(Locale.ROOT),
                kind == TaskKind.CLASSIFICATION ? (pooling == null ? "auto" : pooling) : null, layout, template);
        out.badRowPolicy();
        if (kind == TaskKind.CLASSIFICATION) {
            out.classifierPooling();
        } else {
            out.jsonlLayout();
        }
        return out;
    }

    /**
     * Checks that the data files of resolved settings exist (after every value check, so that a wrong value is
     * reported before a missing file).
     *
     * @throws IllegalArgumentException naming the file
     */
    void checkFiles() {
        if (randomTokens()) {
            return;
        }
        Path path = dataPath();
        if (kind() == TaskKind.CLASSIFICATION) {
            GlueFiles.locate(glueTask(), path).train();
            return;
        }
        Recipes.require(Files.isRegularFile(path), "--data " + path + " is not a file; causal-LM fine-tuning reads "
                + "a JSONL file");
        Recipes.require(evalData == null || Files.isRegularFile(Path.of(evalData)), "--eval-data " + evalData
                + " is not a file");
    }

    /** bert and roberta are the encoders the recipe classifies with; every other family is a decoder. */
    static boolean isEncoder(String modelType) {
        return "bert".equals(modelType) || "roberta".equals(modelType);
    }

    private static String inferTask(Path data, boolean encoder) {
        if (Files.isRegularFile(data) || data.toString().endsWith(".jsonl") || !encoder) {
            return CAUSAL_LM;
        }
        Path name = data.toAbsolutePath().normalize().getFileName();
        for (GlueTask g : GlueTask.values()) {
            if (name != null && g.directory().equalsIgnoreCase(name.toString())) {
                return g.name().toLowerCase(Locale.ROOT);
            }
        }
        throw new IllegalArgumentException("--task is required: " + data + " is not a GLUE task folder by name "
                + "(CoLA, SST-2, MRPC, ...); give --task sst2, cola, ... or causal-lm");
    }

    private static void notFor(TaskKind kind, String option, Object value, String why) {
        Recipes.require(value == null, option + " does not apply to " + kind.id() + " fine-tuning (" + why
                + "); remove it");
    }

    /** Builder of {@link TaskSettings}. */
    public static final class Builder {
        private String task;
        private Path data;
        private Path evalData;
        private int trainLimit;
        private int evalLimit;
        private Integer maxLength;
        private String badRows = "fail";
        private String pooling;
        private String layout;
        private String template;

        private Builder() {}

        /** A GLUE task name, causal-lm or gsm8k (default: inferred from the data and the model). */
        public Builder optTask(String task) {
            this.task = task;
            return this;
        }

        /** Required: the GLUE folder or the training JSONL file. */
        public Builder setData(Path data) {
            this.data = data;
            return this;
        }

        /** Causal LM: a held-out JSONL file. */
        public Builder optEvalData(Path file) {
            this.evalData = file;
            return this;
        }

        /** Use only the first N training examples (default 0 = all). */
        public Builder optTrainLimit(int n) {
            this.trainLimit = n;
            return this;
        }

        /** Use only the first N evaluation examples (default 0 = all). */
        public Builder optEvalLimit(int n) {
            this.evalLimit = n;
            return this;
        }

        /** Tokens per example (default 128 classification, 512 causal LM). */
        public Builder optMaxLength(int tokens) {
            this.maxLength = tokens;
            return this;
        }

        /** fail (default) or skip malformed rows. */
        public Builder optBadRows(String policy) {
            this.badRows = policy;
            return this;
        }

        /** Classification: auto (default), pooler, mean or cls. */
        public Builder optPooling(String pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Causal LM: the JSONL layout (default: detected). */
        public Builder optLayout(String layout) {
            this.layout = layout;
            return this;
        }

        /** Causal LM: the GSM8K prompt template with {@code {question}}. */
        public Builder optTemplate(String template) {
            this.template = template;
            return this;
        }

        /** Builds (validation happens when the recipe resolves the settings against the model). */
        public TaskSettings build() {
            return new TaskSettings(task, data == null ? null : data.toString(),
                    evalData == null ? null : evalData.toString(), trainLimit, evalLimit, maxLength, badRows, pooling,
                    layout, template);
        }
    }
}
