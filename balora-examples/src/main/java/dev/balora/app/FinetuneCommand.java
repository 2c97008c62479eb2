package dev.balora.app;

import dev.balora.app.options.ObjectiveOptions;
import dev.balora.app.options.OutputOptions;
import dev.balora.recipe.FineTune;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code balora finetune}: one command for encoders (GLUE) and decoders (causal-LM JSONL), both through the
 * library's {@link FineTune} recipe; prints the run's summary JSON as the last line of stdout.
 */
@Command(name = "finetune", aliases = "finetune-nlg", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Fine-tune with LoRA, PiSSA or BA-LoRA: a BERT-family encoder on a GLUE task, or a decoder "
                + "on prompt/response JSONL.",
            "The task kind follows from the model and the data (--task overrides); options of the other kind are "
                    + "an error. Writes run.json, metrics.jsonl, eval.jsonl, loss-curve.png, checkpoints/, adapter/, "
                    + "adapter-lora/ (PiSSA inits) and summary.json to --out and prints the summary.",
            "finetune-nlg is an alias of this command."})
public final class FinetuneCommand extends RecipeCommand implements Callable<Integer> {

    @ArgGroup(validate = false, heading = "%nObjective%n", order = 3)
    private ObjectiveOptions objective = new ObjectiveOptions();

    @ArgGroup(validate = false, heading = "%nOutput%n", order = 6)
    private OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        FineTune.Builder b;
        if (output.resume() != null) {
            List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
                    .map(OptionSpec::longestName).filter(n -> !n.equals("--resume") && !n.equals("--verbose"))
                    .toList();
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("--resume takes every setting from the run's run.json; remove "
                        + String.join(", ", others));
            }
            b = FineTune.resume(output.resume());
        } else {
            if (output.out() == null) {
                throw new IllegalArgumentException("--out is required");
            }
            b = FineTune.builder().setModel(model.model()).optDevice(model.device()).setTask(data.settings())
                    .optAdapter(adapter.settings()).optOptimization(optimization.settings(output))
                    .optOutput(output.out()).optEvalBeforeTraining(output.evalBefore());
            objective.applyTo(b);
        }
        ProgressPrinter progress = ProgressPrinter.forStderr();
        if (progress != null) {
            b.optListener(progress);
        }
        printResult(b.build().run().toJson().toString());
        return 0;
    }
}
