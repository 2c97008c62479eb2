package dev.balora.recipe;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a fine-tuning run: the final evaluation, the training counts and times, and where every output
 * went. {@link #toJson()} is {@code summary.json}, with the same keys for every task kind.
 *
 * @param settings the resolved settings the run used
 * @param metrics the last evaluation's metrics (empty when there is no evaluation set)
 * @param initialMetrics the evaluation before the first step (empty when not run)
 * @param steps optimizer steps done, resumed ones included
 * @param updates updates applied
 * @param skippedSteps steps skipped for a non-finite loss or gradient
 * @param finalLoss the loss of the last applied step
 * @param trainExamples training examples
 * @param evalExamples evaluation examples
 * @param trainableParameters trainable values (adapters and fully trained heads)
 * @param adapterInitSeconds time of attaching the adapters (PiSSA: the SVDs)
 * @param trainSeconds time of this call's training
 * @param wallSeconds time of the whole run
 * @param details kind-specific facts (classification: the head's pooling; causal LM: truncated examples)
 * @param outputs where every file went (null values for what was not written)
 */
public record FineTuneResult(RecipeSettings settings, Map<String, Double> metrics, Map<String, Double> initialMetrics,
        int steps, int updates, int skippedSteps, double finalLoss, int trainExamples, int evalExamples,
        long trainableParameters, double adapterInitSeconds, double trainSeconds, double wallSeconds,
        Map<String, Object> details, Outputs outputs) {

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /** Copies the maps. */
    public FineTuneResult {
        // Ordered copies: the first metric is the task's main one (GLUE's official metric, held-out loss).
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        initialMetrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(initialMetrics));
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * Where the run wrote its files; every path is null when the run had no output folder.
     *
     * @param folder the output folder
     * @param adapter the trained PEFT adapter (for PiSSA inits: on the residual model)
     * @param loraAdapter the adapter for the ORIGINAL base model: adapter-lora/ for PiSSA inits, else adapter/
     * @param lastCheckpoint the last checkpoint written
     */
    public record Outputs(Path folder, Path adapter, Path loraAdapter, Path lastCheckpoint) {

        /** No output folder: nothing written. */
        public static final Outputs NONE = new Outputs(null, null, null, null);
    }

    /** The summary as JSON (summary.json, and the last line the app prints). */
    public JsonObject toJson() {
        JsonObject s = new JsonObject();
        s.addProperty("kind", settings.kind());
        s.addProperty("task", settings.task().task());
        s.addProperty("method", settings.method());
        s.addProperty("preset", settings.preset());
        s.addProperty("model", settings.model());
        s.add("metrics", GSON.toJsonTree(metrics));
        s.add("initial_metrics", GSON.toJsonTree(initialMetrics));
        s.addProperty("steps", steps);
        s.addProperty("updates", updates);
        s.addProperty("skipped_steps", skippedSteps);
        s.addProperty("final_loss", Double.isFinite(finalLoss) ? finalLoss : null);
        s.addProperty("train_examples", trainExamples);
        s.addProperty("eval_examples", evalExamples);
        s.addProperty("trainable_parameters", trainableParameters);
        s.addProperty("adapter_init_seconds", adapterInitSeconds);
        s.addProperty("train_seconds", trainSeconds);
        s.addProperty("wall_seconds", wallSeconds);
        s.add("details", GSON.toJsonTree(details));
        JsonObject o = new JsonObject();
        if (outputs.folder() != null) {
            RunLayout layout = new RunLayout(outputs.folder());
            o.addProperty("folder", abs(outputs.folder()));
            o.addProperty("run", abs(layout.runFile()));
            o.addProperty("metrics", abs(layout.metrics()));
            o.addProperty("evals", abs(layout.evals()));
            o.addProperty("loss_curve", abs(layout.lossCurve()));
            o.addProperty("adapter", abs(outputs.adapter()));
            o.addProperty("lora_adapter", abs(outputs.loraAdapter()));
            o.addProperty("checkpoint", abs(outputs.lastCheckpoint()));
        }
        s.add("outputs", o);
        return s;
    }

    private static String abs(Path p) {
        return p == null ? null : p.toAbsolutePath().toString();
    }
}
