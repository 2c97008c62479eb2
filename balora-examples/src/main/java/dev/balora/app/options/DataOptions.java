package dev.balora.app.options;

import dev.balora.recipe.TaskSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Data options: the task and its files; some apply to one task kind only (using them for the other is an error). */
// Fields start at their defaultValue too: picocli leaves an unmatched @ArgGroup instance as it was built.
public final class DataOptions {

    @Option(names = "--task", paramLabel = "TASK",
            description = "a GLUE task (sst2, cola, mrpc, qqp, stsb, mnli, qnli, rte, wnli), causal-lm, or gsm8k "
                    + "(default: inferred: a decoder or a .jsonl file means causal-lm, a GLUE folder its task)")
    String task;

    @Option(names = "--data", paramLabel = "DIR|FILE",
            description = "classification: the GLUE task's folder (train.tsv, dev.tsv) or the GLUE root holding "
                    + "it; causal LM: the training JSONL (prompt/response, GSM8K or token ids)")
    Path data;

    @Option(names = "--eval-data", paramLabel = "FILE",
            description = "causal LM: held-out JSONL (loss and perplexity before, during and after training)")
    Path evalData;

    @Option(names = "--train-limit", defaultValue = "0",
            description = "use only the first N training examples, 0 = all (default: ${DEFAULT-VALUE})")
    int trainLimit;

    @Option(names = "--eval-limit", defaultValue = "0",
            description = "use only the first N evaluation examples, 0 = all (default: ${DEFAULT-VALUE})")
    int evalLimit;

    @Option(names = "--max-length", description = "tokens per example (default: 128 classification, 512 causal LM)")
    Integer maxLength;

    @Option(names = "--bad-rows", defaultValue = "fail", paramLabel = "fail|skip",
            description = "a malformed data row stops the run, or is skipped with a warning naming file and line "
                    + "(default: ${DEFAULT-VALUE})")
    String badRows = "fail";

    @Option(names = "--pooling", paramLabel = "auto|pooler|mean|cls",
            description = "classification: what the head reads: the BERT pooler, or the mean / first token state; "
                    + "auto = the pooler when the checkpoint has a trained one, else the mean (default: auto)")
    String pooling;

    @Option(names = "--layout", paramLabel = "prompt_response|gsm8k|token_ids",
            description = "causal LM: the JSONL layout (default: detected from the first line's keys)")
    String layout;

    @Option(names = "--template", paramLabel = "TEXT",
            description = "causal LM: the GSM8K prompt template with {question}")
    String template;

    /** The recipe's task settings (unresolved: the kind and its defaults are settled against the model). */
    public TaskSettings settings() {
        TaskSettings.Builder b = TaskSettings.of(data).optTrainLimit(trainLimit).optEvalLimit(evalLimit)
                .optBadRows(badRows);
        if (task != null) {
            b.optTask(task);
        }
        if (evalData != null) {
            b.optEvalData(evalData);
        }
        if (maxLength != null) {
            b.optMaxLength(maxLength);
        }
        if (pooling != null) {
            b.optPooling(pooling);
        }
        if (layout != null) {
            b.optLayout(layout);
        }
        if (template != null) {
            b.optTemplate(template);
        }
        return b.build();
    }
}
