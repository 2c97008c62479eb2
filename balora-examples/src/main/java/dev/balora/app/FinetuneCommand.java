package dev.balora.app;

import dev.balora.app.options.AdapterOptions;
import dev.balora.app.options.DataOptions;
import dev.balora.app.options.ModelOptions;
import dev.balora.app.options.ObjectiveOptions;
import dev.balora.app.options.OptimizationOptions;
import dev.balora.app.options.OutputOptions;
import dev.balora.recipe.FineTune;
import dev.balora.recipe.FineTuneResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

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
public final class FinetuneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(validate = false, heading = "%nModel%n", order = 1)
    private ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = "%nData%n", order = 2)
    private DataOptions data = new DataOptions();

    @ArgGroup(validate = false, heading = "%nObjective%n", order = 3)
    private ObjectiveOptions objective = new ObjectiveOptions();

    @ArgGroup(validate = false, heading = "%nAdapters%n", order = 4)
    private AdapterOptions adapter = new AdapterOptions();

    @ArgGroup(validate = false, heading = "%nOptimisation%n", order = 5)
    private OptimizationOptions optimization = new OptimizationOptions();

    @ArgGroup(validate = false, heading = "%nOutput%n", order = 6)
    private OutputOptions output = new OutputOptions();

    @Mixin
    private VerboseOption verbose;

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
        FineTuneResult result = b.build().run();
        spec.commandLine().getOut().println(result.toJson());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
