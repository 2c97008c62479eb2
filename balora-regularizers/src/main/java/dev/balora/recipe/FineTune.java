package dev.balora.recipe;

import ai.djl.Device;
import dev.balora.regularizers.nlg.MaskAlignment;
import dev.balora.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The fine-tuning recipe: load a model, attach LoRA/PiSSA adapters, build the objective of the method (BA-LoRA: the
 * preset's regularizers), train with the core {@code Trainer}, evaluate, and write the {@link RunLayout} (PEFT
 * adapter, converted LoRA adapter, metrics, plot, checkpoints, summary). {@link Builder#build()} resolves and
 * validates every setting before any model is loaded; {@link #run()} does the work.
 *
 * <pre>{@code
 * FineTuneResult result = FineTune.builder()
 *         .setModel("all-minilm-l6-v2")
 *         .setTask(TaskSettings.glue("sst2", Path.of("../shared/data/glue")).optTrainLimit(1024).build())
 *         .setMethod(Method.BALORA).optPreset(Preset.NLU_EARLY_SCRIPT_HIDDEN)
 *         .optOptimization(OptimizationSettings.builder().optEpochs(1).build())
 *         .optOutput(Path.of("runs/sst2-balora"))
 *         .build().run();
 * }</pre>
 */
public final class FineTune {
    /** The default per-run budget of cached reference outputs (classification), in MiB. */
    public static final int DEFAULT_REFERENCE_CACHE_MIB = 256;

    private final RecipeSettings settings;
    private final Path output;
    private final boolean resume;
    private final List<TrainingListener> listeners;

    private FineTune(RecipeSettings settings, Path output, boolean resume, List<TrainingListener> listeners) {
        this.settings = settings;
        this.output = output;
        this.resume = resume;
        this.listeners = List.copyOf(listeners);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that continues the checkpointed run in {@code runDir} with the settings of its run.json; only
     * listeners may be added.
     *
     * @throws IllegalArgumentException when the folder holds no run of this version
     */
    public static Builder resume(Path runDir) {
        RecipeSettings s = RunFile.read(runDir);
        Builder b = new Builder();
        b.resumed = s;
        b.output = runDir;
        return b;
    }

    /** The resolved settings (as run.json records them). */
    public RecipeSettings settings() {
        return settings;
    }

    /** The output folder, or null when the run writes nothing. */
    public Path output() {
        return output;
    }

    /** Whether this run continues from the checkpoints in its output folder. */
    public boolean resumes() {
        return resume;
    }

    /** Loads the model and data and attaches the adapters; the caller trains and closes the result. */
    public PreparedFineTune prepare() {
        return PreparedFineTune.open(this, listeners);
    }

    /** Runs the whole recipe: prepare, train, evaluate, write the outputs. */
    public FineTuneResult run() {
        try (PreparedFineTune prepared = prepare()) {
            return prepared.train();
        }
    }

    /** Builder of {@link FineTune}: {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private String model;
        private TaskSettings task;
        private Method method;
        private Preset preset;
        private MaskAlignment alignment;
        private AdapterSettings adapter = AdapterSettings.defaults();
        private OptimizationSettings optimization = OptimizationSettings.defaults();
        private String device = "cpu";
        private Path output;
        private boolean evalBeforeTraining = true;
        private Integer referenceCacheMib;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private RecipeSettings resumed;

        private Builder() {}

        /** Required: a Hugging Face model directory or an embedded model name ({@code all-minilm-l6-v2}). */
        public Builder setModel(String model) {
            this.model = model;
            return this;
        }

        /** Required: a Hugging Face model directory. */
        public Builder setModel(Path model) {
            return setModel(model.toString());
        }

        /** Required: the data ({@link TaskSettings#glue}, {@link TaskSettings#causalLm}, ...). */
        public Builder setTask(TaskSettings task) {
            this.task = task;
            return this;
        }

        /** Required: the data, from its builder. */
        public Builder setTask(TaskSettings.Builder task) {
            return setTask(task.build());
        }

        /** Required: LoRA, PiSSA, PiSSA-fast or BA-LoRA. */
        public Builder setMethod(Method method) {
            this.method = method;
            return this;
        }

        /** The BA-LoRA preset (default: nlu-cyp-jlu-ai for classification, nlg-iclr for causal LM). */
        public Builder optPreset(Preset preset) {
            this.preset = preset;
            return this;
        }

        /** Causal LM with BA-LoRA: override the preset's mask alignment. */
        public Builder optMaskAlignment(MaskAlignment alignment) {
            this.alignment = alignment;
            return this;
        }

        /** What gets adapters and how they start (default {@link AdapterSettings#defaults()}). */
        public Builder optAdapter(AdapterSettings adapter) {
            this.adapter = Objects.requireNonNull(adapter, "adapter");
            return this;
        }

        /** Optimizer, schedule, budget and seed (default {@link OptimizationSettings#defaults()}). */
        public Builder optOptimization(OptimizationSettings optimization) {
            this.optimization = Objects.requireNonNull(optimization, "optimization");
            return this;
        }

        /** cpu (default), gpu or gpu:N. */
        public Builder optDevice(String device) {
            this.device = device;
            return this;
        }

        /** The run folder; without one the run writes nothing (no metrics, checkpoints or adapters). */
        public Builder optOutput(Path output) {
            this.output = output;
            return this;
        }

        /** Evaluate once before the first step, logged as step 0 (default true). */
        public Builder optEvalBeforeTraining(boolean evaluate) {
            this.evalBeforeTraining = evaluate;
            return this;
        }

        /** Classification with BA-LoRA: MiB of reference outputs kept across epochs (default 256, 0 = off). */
        public Builder optReferenceCacheMib(int mib) {
            this.referenceCacheMib = mib;
            return this;
        }

        /** A listener of the training run (progress, custom logging); may be called several times. */
        public Builder optListener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Resolves every default and validates every setting (model, data files, method and preset, adapters,
         * optimisation, device, run folder) before any work starts.
         *
         * @throws IllegalArgumentException naming the setting at fault
         */
        public FineTune build() {
            if (resumed != null) {
                return buildResumed();
            }
            Recipes.require(model != null && !model.isBlank(), "--model is required");
            Recipes.require(task != null, "a task is required (--task / --data)");
            Recipes.require(method != null, "--method is required");
            String modelType = ModelResolver.modelType(model);
            TaskSettings t = task.resolve(modelType);
            TaskKind kind = t.kind();
            Preset p = null;
            if (method.regularized()) {
                p = preset != null ? preset : Preset.parse(kind.defaults().preset());
                Recipes.require(p.kind() == kind, "--preset " + p.id() + " is a " + p.kind().id() + " preset; "
                        + kind.id() + " fine-tuning takes " + presetsOf(kind));
            } else {
                Recipes.require(preset == null, "--preset applies to --method balora only (got --method "
                        + method.id() + ")");
            }
            Recipes.require(alignment == null || (method.regularized() && kind == TaskKind.CAUSAL_LM),
                    "--alignment applies to --method balora on causal-lm tasks only");
            Recipes.require(referenceCacheMib == null || kind == TaskKind.CLASSIFICATION,
                    "--reference-cache-mib applies to classification only (causal-LM reference outputs are per token)");
            Integer cache = kind == TaskKind.CAUSAL_LM ? null
                    : referenceCacheMib != null ? referenceCacheMib : DEFAULT_REFERENCE_CACHE_MIB;
            Recipes.require(cache == null || cache >= 0, "--reference-cache-mib must be >= 0, got " + cache);
            RecipeSettings s = new RecipeSettings(model, device(device), kind.id(), method.id(),
                    p == null ? null : p.id(), alignment == null ? null : alignment.name(), evalBeforeTraining, cache,
                    t,
                    adapter.resolve(kind, method), optimization.resolve(kind));
            t.checkFiles();
            Recipes.require(output == null || !Files.isRegularFile(output), "--out " + output + " is a file, not a "
                    + "folder");
            return new FineTune(s, output, false, listeners);
        }

        private FineTune buildResumed() {
            RecipeSettings s = resumed;
            String modelType = ModelResolver.modelType(s.model());
            // Re-resolving proves the recorded settings still make sense (files present, values in range).
            TaskSettings t = s.task().resolve(modelType);
            Recipes.require(t.kind() == s.taskKind(), new RunLayout(output).runFile() + ": kind " + s.kind()
                    + " does not match its task " + t.task());
            t.checkFiles();
            if (s.model() != null && Files.isDirectory(Path.of(s.model()))) {
                String recorded = RunFile.recordedConfigHash(output);
                String now = RunFile.configHash(Path.of(s.model()));
                Recipes.require(recorded == null || recorded.equals(now), "--resume " + output + ": the model's "
                        + "config.json changed since the run started (sha256 " + recorded + " then, " + now
                        + " now); resume with the model it was trained on");
            }
            Recipes.require(Files.isDirectory(new RunLayout(output).checkpoints()), "--resume " + output
                    + ": no checkpoints/ folder; the run stopped before its first checkpoint, start it afresh");
            s.adapter().resolve(s.taskKind(), s.methodEnum());
            s.optimization().resolve(s.taskKind());
            return new FineTune(s, output, true, listeners);
        }

        private static String presetsOf(TaskKind kind) {
            StringBuilder sb = new StringBuilder();
            for (Preset p : Preset.values()) {
                if (p.kind() == kind) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(p.id());
                }
            }
            return sb.toString();
        }

        private static String device(String name) {
            Recipes.require(name != null && !name.isBlank(), "--device must not be empty");
            String d = name.trim().toLowerCase(Locale.ROOT);
            Recipes.require(d.matches("cpu|gpu|gpu:\\d+|cuda|cuda:\\d+"), "unknown --device '" + name + "'; use cpu, "
                    + "gpu or gpu:N");
            return d.replace("cuda", "gpu");
        }
    }

    /** The DJL device a resolved device name means. */
    static Device deviceOf(String name) {
        return Device.fromName(name);
    }
}
