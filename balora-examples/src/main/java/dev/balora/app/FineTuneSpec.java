package dev.balora.app;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.data.glue.BadRowPolicy;
import dev.balora.data.glue.GlueTask;
import dev.balora.model.bert.ClassifierPooling;
import dev.balora.train.ScheduleKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Everything a fine-tuning run depends on, validated: model, task, data, method and hyperparameters. Saved as
 * {@value #FILE} in the output folder so {@code --resume} continues with exactly the same settings.
 *
 * @param model a model directory or an embedded model name
 * @param task a GLUE task name ({@code sst2}, {@code stsb}, ...)
 * @param data the task's folder (holding train.tsv and dev.tsv) or the GLUE root holding it
 * @param method lora, pissa or balora
 * @param preset the BA-LoRA preset (used by balora only)
 * @param targets {@code all-linear}, or comma-separated module names (e.g. {@code query,value})
 * @param pooling what the classifier head reads: auto, pooler, mean or cls (null, in a run file of an older
 *     version: auto)
 * @param rank adapter rank r
 * @param alpha adapter alpha (scaling alpha / r)
 * @param dropout adapter dropout
 * @param learningRate peak learning rate
 * @param schedule constant, linear or cosine decay after warm-up
 * @param warmupRatio warm-up as a fraction of all steps
 * @param weightDecay decoupled AdamW weight decay
 * @param epochs epochs (ignored when maxSteps > 0)
 * @param maxSteps optimizer steps, or -1 for full epochs
 * @param batchSize examples per micro-batch
 * @param gradAccum micro-batches per optimizer step
 * @param maxGradNorm global-norm clipping threshold, 0 = off
 * @param evalEvery evaluate every N steps (0 = only at epoch ends and at the end)
 * @param checkpointEvery checkpoint every N steps (0 = only at epoch ends and at the end)
 * @param maxLength tokens per example, special tokens included
 * @param trainLimit use only the first N training rows (0 = all)
 * @param devLimit use only the first N dev rows (0 = all)
 * @param badRows what a malformed data row does: fail (the default; null in an older run file) or skip with a
 *     warning naming file and line
 * @param pissaNiter subspace iterations of a randomized SVD for PiSSA init, 0 = exact SVD
 * @param seed seed of data order, dropout, head and LoRA init
 * @param out the output folder
 */
public record FineTuneSpec(String model, String task, String data, String method, String preset, String targets,
        String pooling, int rank, double alpha, double dropout, float learningRate, String schedule, double warmupRatio,
        float weightDecay, int epochs, int maxSteps, int batchSize, int gradAccum, double maxGradNorm, int evalEvery,
        int checkpointEvery, int maxLength, int trainLimit, int devLimit, String badRows, int pissaNiter, long seed, String out) {

    /** The settings file in a run's output folder. */
    public static final String FILE = "run.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** Validates every field, naming the command-line option at fault. */
    public FineTuneSpec {
        require(model != null && !model.isBlank(), "--model is required");
        require(data != null && !data.isBlank(), "--data is required");
        require(out != null && !out.isBlank(), "--out is required");
        taskEnum(task);
        methodEnum(method);
        presetEnum(preset);
        scheduleEnum(schedule);
        require(targets != null && !targets.isBlank(), "--targets must name modules or be all-linear");
        if (pooling == null) {
            pooling = "auto";
        }
        ClassifierPooling.parse(pooling);
        require(rank >= 1, "--rank must be >= 1, got " + rank);
        require(alpha > 0 && Double.isFinite(alpha), "--alpha must be > 0, got " + alpha);
        require(dropout >= 0 && dropout < 1, "--lora-dropout must be in [0, 1), got " + dropout);
        require(learningRate > 0 && Float.isFinite(learningRate), "--lr must be > 0, got " + learningRate);
        require(warmupRatio >= 0 && warmupRatio <= 1, "--warmup-ratio must be in [0, 1], got " + warmupRatio);
        require(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
        require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(maxSteps == -1 || maxSteps >= 1, "--max-steps must be >= 1 (or -1 for full epochs), got " + maxSteps);
        require(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
        require(gradAccum >= 1, "--grad-accum must be >= 1, got " + gradAccum);
        require(maxGradNorm >= 0, "--max-grad-norm must be >= 0 (0 = no clipping), got " + maxGradNorm);
        require(evalEvery >= 0, "--eval-every must be >= 0, got " + evalEvery);
        require(checkpointEvery >= 0, "--checkpoint-every must be >= 0, got " + checkpointEvery);
        require(maxLength >= 2, "--max-length must be >= 2, got " + maxLength);
        require(trainLimit >= 0 && devLimit >= 0, "--train-limit and --dev-limit must be >= 0");
        if (badRows == null) {
            badRows = "fail";
        }
        badRowsEnum(badRows);
        require(pissaNiter >= 0, "--pissa-niter must be >= 0 (0 = exact SVD), got " + pissaNiter);
    }

    /** The GLUE task. */
    public GlueTask taskEnum() {
        return taskEnum(task);
    }

    /** The method. */
    public Method methodEnum() {
        return methodEnum(method);
    }

    /** The BA-LoRA preset. */
    public Preset presetEnum() {
        return presetEnum(preset);
    }

    /** What the classifier head reads. */
    public ClassifierPooling poolingEnum() {
        return ClassifierPooling.parse(pooling);
    }

    /** What a malformed data row does. */
    public BadRowPolicy badRowsEnum() {
        return badRowsEnum(badRows);
    }

    /** The learning-rate schedule. */
    public ScheduleKind scheduleEnum() {
        return scheduleEnum(schedule);
    }

    /** The output folder. */
    public Path outDir() {
        return Path.of(out);
    }

    /** The same settings with another output folder. */
    public FineTuneSpec withOut(Path dir) {
        return new FineTuneSpec(model, task, data, method, preset, targets, pooling, rank, alpha, dropout,
                learningRate, schedule, warmupRatio, weightDecay, epochs, maxSteps, batchSize, gradAccum, maxGradNorm, evalEvery,
                checkpointEvery, maxLength, trainLimit, devLimit, badRows, pissaNiter, seed, dir.toString());
    }

    /** The same settings with another method. */
    public FineTuneSpec withMethod(Method m) {
        return new FineTuneSpec(model, task, data, m.id(), preset, targets, pooling, rank, alpha, dropout,
                learningRate, schedule, warmupRatio, weightDecay, epochs, maxSteps, batchSize, gradAccum, maxGradNorm, evalEvery,
                checkpointEvery, maxLength, trainLimit, devLimit, badRows, pissaNiter, seed, out);
    }

    /** The settings as JSON. */
    public JsonObject toJson() {
        return GSON.toJsonTree(this).getAsJsonObject();
    }

    /** Writes {@value #FILE} into the output folder (atomically). */
    public void save() {
        AtomicFiles.writeString(outDir().resolve(FILE), GSON.toJson(this) + "\n");
    }

    /**
     * Reads the settings a run saved in its output folder.
     *
     * @throws IllegalArgumentException when the folder holds no readable {@value #FILE}
     */
    public static FineTuneSpec load(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--resume " + runDir + ": no " + FILE + " there; give the --out "
                    + "folder of an earlier finetune run");
        }
        try {
            FineTuneSpec spec = GSON.fromJson(Files.readString(file), FineTuneSpec.class);
            if (spec == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            return spec;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not a valid run file: " + e.getMessage(), e);
        }
    }

    private static GlueTask taskEnum(String task) {
        require(task != null, "--task is required");
        return GlueTask.parse(task);
    }

    private static Method methodEnum(String method) {
        require(method != null, "--method is required");
        return Method.parse(method);
    }

    private static Preset presetEnum(String preset) {
        require(preset != null, "--preset must not be empty");
        return Preset.parse(preset);
    }

    private static ScheduleKind scheduleEnum(String schedule) {
        require(schedule != null, "--schedule must not be empty");
        try {
            return ScheduleKind.valueOf(schedule.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --schedule '" + schedule + "'; use constant, linear or "
                    + "cosine", e);
        }
    }

    static BadRowPolicy badRowsEnum(String badRows) {
        require(badRows != null, "--bad-rows must not be empty");
        try {
            return BadRowPolicy.valueOf(badRows.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --bad-rows '" + badRows + "'; use fail or skip", e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
