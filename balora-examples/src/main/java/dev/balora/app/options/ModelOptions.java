package dev.balora.app.options;

import dev.balora.recipe.ModelResolver;
import picocli.CommandLine.Option;

/** Model options: which model and on which device. */
// Fields start at their defaultValue too: picocli leaves an unmatched @ArgGroup instance as it was built.
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "DIR|NAME", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "a Hugging Face model directory or an embedded model (default: ${DEFAULT-VALUE})")
    String model = ModelResolver.DEFAULT_MODEL;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N", defaultValue = "cpu",
            description = "where the model runs (default: ${DEFAULT-VALUE})")
    String device = "cpu";

    /** The --model value. */
    public String model() {
        return model;
    }

    /** The --device value. */
    public String device() {
        return device;
    }
}
