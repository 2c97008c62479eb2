package dev.balora.recipe;

import dev.balora.data.glue.GlueTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training and development files of a GLUE task under a {@code --data} folder, which may be the task's own
 * folder (holding train.tsv) or the GLUE root holding it (e.g. {@code ../shared/data/glue}).
 *
 * @param task the task
 * @param directory the task's folder
 */
public record GlueFiles(GlueTask task, Path directory) {

    /**
     * Locates the task's folder.
     *
     * @throws IllegalArgumentException naming the places looked at when neither holds the task's files
     */
    public static GlueFiles locate(GlueTask task, Path data) {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + " is not a directory");
        }
        List<Path> tried = List.of(data, data.resolve(task.directory()));
        for (Path dir : tried) {
            if (Files.isRegularFile(dir.resolve(firstDevName(task)))) {
                return new GlueFiles(task, dir);
            }
        }
        throw new IllegalArgumentException("--data " + data + ": no " + firstDevName(task) + " for task "
                + task.name().toLowerCase(java.util.Locale.ROOT) + " in " + tried.get(0) + " or " + tried.get(1));
    }

    /** train.tsv, which must exist for training. */
    public Path train() {
        Path file = directory.resolve("train.tsv");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no training file " + file);
        }
        return file;
    }

    /** The main development file (matched for MNLI). */
    public Path dev() {
        return directory.resolve(firstDevName(task));
    }

    /** Every development file of the task that is present (MNLI: matched and mismatched). */
    public List<Path> devFiles() {
        List<Path> out = new ArrayList<>();
        for (Path p : task.devFiles(Path.of("."))) {
            Path file = directory.resolve(p.getFileName());
            if (Files.isRegularFile(file)) {
                out.add(file);
            }
        }
        return out;
    }

    private static String firstDevName(GlueTask task) {
        return task.devFile(Path.of(".")).getFileName().toString();
    }
}
