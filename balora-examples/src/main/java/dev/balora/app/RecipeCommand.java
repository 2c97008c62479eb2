package dev.balora.app;

import dev.balora.app.options.AdapterOptions;
import dev.balora.app.options.DataOptions;
import dev.balora.app.options.ModelOptions;
import dev.balora.app.options.OptimizationOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The option groups every command that trains through the recipe shares ({@code finetune}, {@code compare}):
 * model, data, adapters and optimisation, under the same names and headings.
 */
abstract class RecipeCommand {

    @Spec
    CommandSpec spec;

    @ArgGroup(validate = false, heading = "%nModel%n", order = 1)
    ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = "%nData%n", order = 2)
    DataOptions data = new DataOptions();

    @ArgGroup(validate = false, heading = "%nAdapters%n", order = 4)
    AdapterOptions adapter = new AdapterOptions();

    @ArgGroup(validate = false, heading = "%nOptimisation%n", order = 5)
    OptimizationOptions optimization = new OptimizationOptions();

    @Mixin
    VerboseOption verbose;

    /** Prints the command's JSON result as the last line of stdout. */
    void printResult(String json) {
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
    }
}
