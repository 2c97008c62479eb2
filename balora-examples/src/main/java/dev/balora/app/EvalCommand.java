package dev.balora.app;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.data.glue.GlueTask;
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

    @Override
    public Integer call() {
        int length = maxLength != null ? maxLength : defaultMaxLength(adapter);
        if (length < 2) {
            throw new IllegalArgumentException("--max-length must be >= 2, got " + length);
        }
        GlueTask glue = GlueTask.parse(task);
        TaskFiles files = TaskFiles.locate(glue, data);
        AdapterDirs.locate(adapter); // fail on a wrong folder before the model is loaded
        Map<String, Map<String, Double>> byFile = GlueEvaluation.evaluate(ModelResolver.resolve(model), adapter,
                glue, files, length);
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        JsonObject out = new JsonObject();
        out.addProperty("task", glue.name().toLowerCase(Locale.ROOT));
        out.addProperty("adapter", adapter.toAbsolutePath().toString());
        out.addProperty("max_length", length);
        out.add("metrics", gson.toJsonTree(byFile.values().iterator().next()));
        if (byFile.size() > 1) {
            out.add("by_file", gson.toJsonTree(byFile));
        }
        spec.commandLine().getOut().println(gson.toJson(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The maximum length a finetune run used, read from its {@value FineTuneSpec#FILE} next to the adapter. */
    private static int defaultMaxLength(Path adapter) {
        for (Path dir : new Path[] {adapter, adapter.toAbsolutePath().getParent()}) {
            if (dir != null && Files.isRegularFile(dir.resolve(FineTuneSpec.FILE))) {
                return FineTuneSpec.load(dir).maxLength();
            }
        }
        return 128;
    }
}
