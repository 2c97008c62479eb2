package dev.balora.app;

import dev.balora.recipe.ModelResolver;
import dev.balora.recipe.GlueFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.data.glue.GlueTask;
import dev.balora.model.bert.ClassifierPooling;
import dev.balora.recipe.RecipeSettings;
import dev.balora.recipe.RunFile;
import dev.balora.recipe.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code balora eval}: the GLUE dev metrics of a base model plus a saved adapter, as JSON. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a saved adapter on a GLUE task's dev set; prints {\"metrics\": {...}, ...}.")
public final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|NAME", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "the base model the adapter was trained on (default: ${DEFAULT-VALUE})")
    private String model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR",
            description = "a PEFT adapter folder or a finetune --out folder")
    private Path adapter;

    @Option(names = "--task", required = true, paramLabel = "TASK",
            description = "sst2, cola, mrpc, qqp, stsb, mnli, qnli, rte or wnli")
    private String task;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "the task's folder or the GLUE root holding it")
    private Path data;

    @Option(names = "--max-length", paramLabel = "N",
            description = "tokens per example (default: the run's own when --adapter is a finetune folder, else 128)")
    private Integer maxLength;

    @Option(names = "--pooling", paramLabel = "auto|pooler|mean|cls",
            description = "what the classifier head reads (default: the run's own when --adapter is a finetune "
                    + "folder, else auto)")
    private String pooling;

    @Override
    public Integer call() {
        RecipeSettings run = trainingRun(adapter);
        int length = maxLength != null ? maxLength : run != null ? run.task().maxLength() : 128;
        ClassifierPooling head = pooling != null ? ClassifierPooling.parse(pooling)
                : run != null ? run.task().classifierPooling() : ClassifierPooling.AUTO;
        if (length < 2) {
            throw new IllegalArgumentException("--max-length must be >= 2, got " + length);
        }
        GlueTask glue = GlueTask.parse(task);
        GlueFiles files = GlueFiles.locate(glue, data);
        AdapterDirs.locate(adapter); // fail on a wrong folder before the model is loaded
        GlueEvaluation.Result result = GlueEvaluation.evaluate(ModelResolver.resolve(model), adapter,
                glue, files, length, head);
        Map<String, Map<String, Double>> byFile = result.byFile();
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        JsonObject out = new JsonObject();
        out.addProperty("task", glue.name().toLowerCase(Locale.ROOT));
        out.addProperty("adapter", adapter.toAbsolutePath().toString());
        out.addProperty("max_length", length);
        out.addProperty("classifier_pooling", result.pooling().name().toLowerCase(Locale.ROOT));
        out.add("metrics", gson.toJsonTree(byFile.values().iterator().next()));
        if (byFile.size() > 1) {
            out.add("by_file", gson.toJsonTree(byFile));
        }
        spec.commandLine().getOut().println(gson.toJson(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The settings of the finetune run that wrote the adapter ({@value RunLayout#RUN} beside it), or null. */
    private static RecipeSettings trainingRun(Path adapter) {
        for (Path dir : new Path[] {adapter, adapter.toAbsolutePath().getParent()}) {
            if (dir != null && Files.isRegularFile(new RunLayout(dir).runFile())) {
                return RunFile.read(dir);
            }
        }
        return null;
    }
}
