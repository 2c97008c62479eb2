package dev.balora.data.glue;

import dev.balora.data.Example;
import java.nio.file.Path;
import java.util.List;

/**
 * The examples read from one GLUE file and the rows that were skipped.
 *
 * @param task the task
 * @param file the file read
 * @param examples the examples, in file order
 * @param skipped the bad rows skipped under {@link BadRowPolicy#SKIP} (empty under FAIL)
 */
public record GlueData(GlueTask task, Path file, List<Example> examples, List<BadRow> skipped) {

    /** Copies the lists. */
    public GlueData {
        examples = List.copyOf(examples);
        skipped = List.copyOf(skipped);
    }

    /** Number of examples read. */
    public int size() {
        return examples.size();
    }
}
