package dev.balora.app;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helper: the bundled demo sentences as a GLUE-layout folder, and reading a run folder's logs. */
final class RunFolders {

    private RunFolders() {}

    /** Copies the bundled train/held-out sentences to {@code dir/train.tsv} and {@code dir/dev.tsv}. */
    static Path demoData(Path dir) throws Exception {
        Files.createDirectories(dir);
        copy("train.tsv", dir.resolve("train.tsv"));
        copy("heldout.tsv", dir.resolve("dev.tsv"));
        return dir;
    }

    /** The per-step losses of a run's metrics.jsonl, in step order. */
    static double[] losses(Path run) throws Exception {
        List<JsonObject> lines = lines(run.resolve("metrics.jsonl"));
        double[] out = new double[lines.size()];
        for (int i = 0; i < out.length; i++) {
            if (lines.get(i).get("step").getAsInt() != i + 1) {
                throw new AssertionError("metrics.jsonl line " + (i + 1) + " is step " + lines.get(i).get("step"));
            }
            out[i] = lines.get(i).get("loss").getAsDouble();
        }
        return out;
    }

    /** The JSON objects of a .jsonl file. */
    static List<JsonObject> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static void copy(String resource, Path target) throws Exception {
        try (InputStream in = RunFolders.class.getResourceAsStream("/dev/balora/demo/" + resource)) {
            Files.copy(in, target);
        }
    }
}
