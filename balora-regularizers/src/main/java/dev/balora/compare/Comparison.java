package dev.balora.compare;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.recipe.AdapterSettings;
import dev.balora.recipe.FineTune;
import dev.balora.recipe.FineTuneResult;
import dev.balora.recipe.OptimizationSettings;
import dev.balora.recipe.RunLayout;
import dev.balora.recipe.TaskSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A multi-seed comparison of methods on one task: every (method, seed) is one recipe run in its own folder under
 * {@code out/runs/}, optionally after a per-method learning-rate search on a fixed small subset against the
 * evaluation set ({@code out/grid/}); then {@code compare.json}, {@code compare.md} and {@code compare.png}.
 * Resumable: a finished run (its summary.json exists) is read back, a killed one continues from its checkpoints,
 * and a folder holding a comparison with other settings is refused.
 */
public final class Comparison {
    /** The settings file that guards a comparison folder against reuse with other settings. */
    public static final String SETTINGS_FILE = "compare-settings.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    final Builder b;
    private final List<MethodSpec> methods;
    private final String baseline;

    private Comparison(Builder b) {
        this.b = b;
        this.methods = List.copyOf(b.methods);
        this.baseline = b.baseline != null ? b.baseline : methods.get(0).id();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The comparison's own settings (compare-settings.json). */
    public JsonObject settings() {
        JsonObject o = new JsonObject();
        o.addProperty("model", b.model);
        o.addProperty("device", b.device);
        o.add("task", GSON.toJsonTree(b.task));
        JsonArray m = new JsonArray();
        methods.forEach(x -> m.add(x.id()));
        o.add("methods", m);
        o.addProperty("baseline", baseline);
        o.add("seeds", GSON.toJsonTree(b.seeds));
        o.add("adapter", GSON.toJsonTree(b.adapter));
        o.add("optimization", GSON.toJsonTree(b.optimization));
        o.add("lr_grid", GSON.toJsonTree(b.lrGrid));
        o.addProperty("grid_train_limit", b.gridTrainLimit);
        o.addProperty("grid_max_steps", b.gridMaxSteps);
        return o;
    }

    /** Runs what is not finished yet and writes the report; returns it. */
    public CompareReport run() {
        Path out = b.output;
        guardFolder(out);
        Map<String, Double> chosenLr = new LinkedHashMap<>();
        JsonObject gridRecord = new JsonObject();
        List<Pending> pending = new ArrayList<>();
        if (!b.lrGrid.isEmpty()) {
            for (MethodSpec m : methods) {
                for (double lr : b.lrGrid) {
                    pending.add(new Pending(m, b.seeds.get(0), lr, gridDir(m, lr), true));
                }
            }
        }
        int gridRuns = pending.size();
        for (MethodSpec m : methods) {
            for (long seed : b.seeds) {
                pending.add(new Pending(m, seed, Double.NaN, runDir(m, seed), false));
            }
        }
        b.progress.accept(ComparisonEstimate.of(this, pending));
        int done = 0;
        for (int i = 0; i < gridRuns; i++) {
            Pending p = pending.get(i);
            Map<String, Double> metrics = runOrRead(p, p.lr, ++done, pending.size());
            String key = p.method.id();
            JsonObject perMethod = gridRecord.has(key) ? gridRecord.getAsJsonObject(key) : new JsonObject();
            perMethod.add(lrKey(p.lr), GSON.toJsonTree(metrics));
            gridRecord.add(key, perMethod);
        }
        for (MethodSpec m : methods) {
            if (gridRecord.has(m.id())) {
                chosenLr.put(m.id(), best(gridRecord.getAsJsonObject(m.id())));
            }
        }
        List<RunOutcome> outcomes = new ArrayList<>();
        for (int i = gridRuns; i < pending.size(); i++) {
            Pending p = pending.get(i);
            double lr = chosenLr.getOrDefault(p.method.id(), Double.NaN);
            outcomes.add(new RunOutcome(p.method.id(), p.seed, runOrRead(p, lr, ++done, pending.size())));
        }
        JsonObject settings = settings();
        if (!chosenLr.isEmpty()) {
            settings.add("lr_search", gridRecord);
            settings.add("lr_chosen", GSON.toJsonTree(chosenLr));
        }
        CompareReport report = CompareReport.builder().setRuns(outcomes).setBaseline(baseline)
                .optMethods(methods.stream().map(MethodSpec::id).toList()).optSettings(settings).build();
        CompareJson.write(report, out.resolve("compare.json"));
        CompareMarkdown.write(report, out.resolve("compare.md"));
        ComparePlot.write(report, out.resolve("compare.png"));
        return report;
    }

    /** One run to do (or read back). */
    record Pending(MethodSpec method, long seed, double lr, Path dir, boolean grid) {}

    private Map<String, Double> runOrRead(Pending p, double lr, int index, int total) {
        RunLayout layout = new RunLayout(p.dir);
        String what = (p.grid ? "lr search " + p.method.id() + " lr " + lrKey(p.lr) : p.method.id() + " seed "
                + p.seed) + " (" + index + "/" + total + ")";
        if (Files.isRegularFile(layout.summary())) {
            b.progress.accept(what + ": finished earlier, read from " + layout.summary());
            return metricsOf(layout.summary());
        }
        FineTune.Builder fb;
        if (Files.isRegularFile(layout.runFile()) && Files.isDirectory(layout.checkpoints())) {
            b.progress.accept(what + ": continuing from its checkpoints");
            fb = FineTune.resume(p.dir);
        } else {
            b.progress.accept(what + ": starting");
            fb = recipe(p.method, p.seed, lr, p.grid).optOutput(p.dir);
        }
        b.listeners.forEach(fb::optListener);
        FineTuneResult r = fb.build().run();
        if (r.metrics().isEmpty()) {
            throw new IllegalStateException(p.dir + ": the run has no evaluation metrics; a comparison needs an "
                    + "evaluation set (a GLUE dev file, or --eval-data for causal LM)");
        }
        b.progress.accept(what + ": " + r.metrics());
        return r.metrics();
    }

    /** The recipe of one run, before its output folder is set. */
    FineTune.Builder recipe(MethodSpec m, long seed, double lr, boolean grid) {
        TaskSettings t = b.task;
        OptimizationSettings o = b.optimization;
        if (grid) {
            t = new TaskSettings(t.task(), t.data(), t.evalData(), b.gridTrainLimit, t.evalLimit(), t.maxLength(),
                    t.badRows(), t.pooling(), t.layout(), t.template());
        }
        OptimizationSettings.Builder ob = o.toBuilder().optSeed(seed);
        if (grid && b.gridMaxSteps > 0) {
            ob.optMaxSteps(b.gridMaxSteps);
        }
        if (!Double.isNaN(lr)) {
            ob.optLearningRate(lr); // otherwise the comparison's own (null: the kind's default)
        }
        o = ob.build();
        FineTune.Builder fb = FineTune.builder().setModel(b.model).optDevice(b.device).setTask(t)
                .setMethod(m.method()).optAdapter(b.adapter.forMethod(m.method())).optOptimization(o).optEvalBeforeTraining(false);
        if (m.preset() != null) {
            fb.optPreset(m.preset());
        }
        return fb;
    }

    private void guardFolder(Path out) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create --out " + out + ": " + e.getMessage(), e);
        }
        Path file = out.resolve(SETTINGS_FILE);
        JsonObject now = settings();
        if (Files.isRegularFile(file)) {
            JsonElement before;
            try {
                before = JsonParser.parseString(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (!before.equals(now)) {
                throw new IllegalArgumentException(out + " holds a comparison with other settings (" + file
                        + "); give another --out, or delete the folder to start over");
            }
            return;
        }
        AtomicFiles.writeString(file, GSON.toJson(now) + "\n");
    }

    private Path runDir(MethodSpec m, long seed) {
        return b.output.resolve("runs").resolve(m.folderName()).resolve("seed-" + seed);
    }

    private Path gridDir(MethodSpec m, double lr) {
        return b.output.resolve("grid").resolve(m.folderName()).resolve("lr-" + lrKey(lr));
    }

    private static String lrKey(double lr) {
        return String.format(Locale.ROOT, "%.3g", lr);
    }

    /** The learning rate whose run scored best on the primary (first) metric. */
    private static double best(JsonObject byLr) {
        double bestLr = Double.NaN;
        double bestValue = Double.NaN;
        MetricDirection direction = null;
        for (Map.Entry<String, JsonElement> e : byLr.entrySet()) {
            Map.Entry<String, JsonElement> primary = e.getValue().getAsJsonObject().entrySet().iterator().next();
            if (direction == null) {
                direction = MetricDirection.forMetric(primary.getKey());
            }
            double v = primary.getValue().getAsDouble();
            if (Double.isNaN(bestValue) || direction.compare(v, bestValue) > 0) {
                bestValue = v;
                bestLr = Double.parseDouble(e.getKey());
            }
        }
        return bestLr;
    }

    private static Map<String, Double> metricsOf(Path summary) {
        try {
            JsonObject s = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
            Map<String, Double> m = new LinkedHashMap<>();
            s.getAsJsonObject("metrics").entrySet().forEach(e -> m.put(e.getKey(), e.getValue().getAsDouble()));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + summary + ": " + e.getMessage(), e);
        }
    }

    /** Builder of {@link Comparison}: {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private String model;
        private String device = "cpu";
        private TaskSettings task;
        final List<MethodSpec> methods = new ArrayList<>();
        private String baseline;
        List<Long> seeds = List.of(1L, 2L, 3L);
        private AdapterSettings adapter = AdapterSettings.defaults();
        private OptimizationSettings optimization = OptimizationSettings.defaults();
        List<Double> lrGrid = List.of();
        int gridTrainLimit = 256;
        private int gridMaxSteps;
        private Path output;
        private Consumer<String> progress = line -> { };
        private final List<dev.balora.train.TrainingListener> listeners = new ArrayList<>();

        private Builder() {}

        /** Required: a model directory or an embedded model name. */
        public Builder setModel(String model) {
            this.model = model;
            return this;
        }

        /** cpu (default), gpu or gpu:N. */
        public Builder optDevice(String device) {
            this.device = device;
            return this;
        }

        /** Required: the task and its data (the same for every run). */
        public Builder setTask(TaskSettings task) {
            this.task = task;
            return this;
        }

        /** Required: the contestants, e.g. {@code lora, pissa, balora:nlu-cyp-jlu-ai-hidden}. */
        public Builder setMethods(List<MethodSpec> methods) {
            this.methods.clear();
            this.methods.addAll(methods);
            return this;
        }

        /** The method every other one is paired against (default: the first). */
        public Builder optBaseline(String methodId) {
            this.baseline = methodId;
            return this;
        }

        /** The seeds (default 1, 2, 3); runs with the same seed are paired. */
        public Builder optSeeds(List<Long> seeds) {
            this.seeds = List.copyOf(seeds);
            return this;
        }

        /** Adapter settings shared by every run. */
        public Builder optAdapter(AdapterSettings adapter) {
            this.adapter = Objects.requireNonNull(adapter);
            return this;
        }

        /** The budget and optimizer shared by every run (the seed is each run's own). */
        public Builder optOptimization(OptimizationSettings optimization) {
            this.optimization = Objects.requireNonNull(optimization);
            return this;
        }

        /** Learning rates searched per method on a small subset before the seeds run (default none). */
        public Builder optLearningRateGrid(List<Double> grid) {
            this.lrGrid = List.copyOf(grid);
            return this;
        }

        /** Training examples of a learning-rate search run (default 256). */
        public Builder optGridTrainLimit(int examples) {
            this.gridTrainLimit = examples;
            return this;
        }

        /** Optimizer steps of a learning-rate search run (default 0: the comparison's own budget). */
        public Builder optGridMaxSteps(int steps) {
            this.gridMaxSteps = steps;
            return this;
        }

        /** Required: the comparison folder. */
        public Builder setOutput(Path output) {
            this.output = output;
            return this;
        }

        /** Receives one line per run started, read back or finished, and the time estimate. */
        public Builder optProgress(Consumer<String> progress) {
            this.progress = Objects.requireNonNull(progress);
            return this;
        }

        /** A listener of every training run (progress bars). */
        public Builder optListener(dev.balora.train.TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /**
         * Validates the comparison's own settings and the first run's recipe, before any work.
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public Comparison build() {
            if (model == null || task == null || output == null || methods.isEmpty()) {
                throw new IllegalArgumentException("a comparison needs a model, a task, methods and an output folder");
            }
            List<String> ids = methods.stream().map(MethodSpec::id).toList();
            if (ids.stream().distinct().count() != ids.size()) {
                throw new IllegalArgumentException("--methods names a method twice: " + ids);
            }
            if (baseline != null && !ids.contains(baseline)) {
                throw new IllegalArgumentException("--baseline " + baseline + " is not among --methods " + ids);
            }
            if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
                throw new IllegalArgumentException("--seeds must be distinct and not empty, got " + seeds);
            }
            for (double lr : lrGrid) {
                if (!(lr > 0) || Double.isInfinite(lr)) {
                    throw new IllegalArgumentException("--lr-grid values must be > 0, got " + lr);
                }
            }
            if (gridTrainLimit < 0 || gridMaxSteps < 0) {
                throw new IllegalArgumentException("--grid-train-limit and --grid-max-steps must be >= 0");
            }
            Comparison c = new Comparison(this);
            for (MethodSpec m : methods) {
                c.recipe(m, seeds.get(0), lrGrid.isEmpty() ? Double.NaN : lrGrid.get(0), false).build();
            }
            return c;
        }
    }
}
