package dev.balora.app;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.balora.recipe.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code balora demo}: LoRA, PiSSA and BA-LoRA on the embedded all-MiniLM-L6-v2 and the bundled sentiment
 * sentences, with the same budget ({@link DemoSettings}); prints a comparison table and where the outputs went.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Fine-tune all-MiniLM-L6-v2 on the bundled sentiment sentences with LoRA, PiSSA and BA-LoRA",
            "and compare held-out accuracy, time and steps (a few minutes on 2 cores, no downloads)."})
public final class DemoCommand implements Callable<Integer> {
    private static final String RESOURCES = "/dev/balora/demo/";

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", defaultValue = "balora-demo", paramLabel = "DIR",
            description = "output folder (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--max-steps", defaultValue = "-1",
            description = "optimizer steps per method instead of the demo's epochs, for a quick check")
    private int maxSteps;

    @Option(names = "--json", description = "print the comparison as JSON instead of a table")
    private boolean json;

    @Override
    public Integer call() {
        if (maxSteps != -1 && maxSteps < 1) {
            throw new IllegalArgumentException("--max-steps must be >= 1, got " + maxSteps);
        }
        Path data = out.resolve("data");
        extract("train.tsv", data.resolve("train.tsv"));
        extract("heldout.tsv", data.resolve("dev.tsv"));
        List<JsonObject> runs = new ArrayList<>();
        for (Method method : DemoSettings.METHODS) {
            runs.add(DemoSettings.recipe(method, data, out.resolve(method.id()), maxSteps,
                    ProgressPrinter.forStderr()).run().toJson());
        }
        JsonObject comparison = new JsonObject();
        JsonArray rows = new JsonArray();
        runs.forEach(rows::add);
        comparison.add("runs", rows);
        String text = new GsonBuilder().setPrettyPrinting().create().toJson(comparison);
        AtomicFiles.writeString(out.resolve("comparison.json"), text + "\n");
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(text);
        } else {
            w.print(table(runs));
            w.println();
            w.println("Outputs: " + out.toAbsolutePath() + " (comparison.json; per method: adapter/, adapter-lora/, "
                    + "metrics.jsonl, loss-curve.png, summary.json)");
        }
        w.flush();
        return 0;
    }

    /** The comparison table, one row per run. */
    static String table(List<JsonObject> runs) {
        StringBuilder sb = new StringBuilder();
        String format = "%-8s %9s %9s %6s %9s  %s%n";
        sb.append(String.format(format, "method", "accuracy", "time (s)", "steps", "loss", "output"));
        for (JsonObject r : runs) {
            Map<String, com.google.gson.JsonElement> dev = r.getAsJsonObject("metrics").asMap();
            String acc = dev.containsKey("accuracy") ? String.format("%.4f", dev.get("accuracy").getAsDouble()) : "-";
            sb.append(String.format(format, r.get("method").getAsString(), acc,
                    String.format("%.1f", r.get("wall_seconds").getAsDouble()), r.get("steps").getAsInt(),
                    String.format("%.3g", r.get("final_loss").getAsDouble()),
                    r.getAsJsonObject("outputs").get("folder").getAsString()));
        }
        return sb.toString();
    }

    private static void extract(String resource, Path target) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled demo file " + RESOURCES + resource + " is missing from "
                        + "the class path");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
