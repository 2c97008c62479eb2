package dev.balora.data.jsonl;

import dev.balora.data.glue.BadRow;
import java.nio.file.Path;
import java.util.List;

/**
 * The prompt/response pairs read from one JSONL file, and the lines skipped as bad.
 *
 * @param file the file
 * @param examples the good lines' pairs, in file order
 * @param skipped the bad lines skipped under {@link dev.balora.data.glue.BadRowPolicy#SKIP} (empty under FAIL)
 */
public record JsonlData(Path file, List<PromptResponse> examples, List<BadRow> skipped) {}
