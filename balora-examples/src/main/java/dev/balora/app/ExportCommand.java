package dev.balora.app;

import dev.balora.recipe.ModelResolver;
import com.google.gson.JsonObject;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.PissaToLora;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code balora export --to lora}: converts an adapter trained on a PiSSA residual into a rank-2r PEFT LoRA
 * adapter for the ORIGINAL base model (no SVD at load time), and checks that it loads onto that model.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Convert a PiSSA adapter to a plain LoRA adapter (rank 2r) for the original base model.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR|NAME",
            description = "the ORIGINAL base model the converted adapter is for (checked by loading it)")
    String model;

    @Option(names = "--adapter", required = true, description = "the trained adapter directory (balora-saved)")
    Path adapter;

    @Option(names = "--to", defaultValue = "lora", description = "target format; only: lora")
    String to;

    @Option(names = "--out", required = true, description = "output adapter directory")
    Path out;

    @Override
    public Integer call() {
        if (!"lora".equals(to)) {
            throw new IllegalArgumentException("--to " + to + " is not supported; use --to lora");
        }
        PissaToLora.convert(adapter, out);
        int layers;
        int rank;
        try (PretrainedModel base = Models.load(ModelResolver.resolve(model))) {
            LoraModel check = PeftAdapter.load(base, out);
            layers = check.adapters().size();
            rank = check.config().rank();
        }
        JsonObject result = new JsonObject();
        result.addProperty("adapter", out.toString());
        result.addProperty("format", "lora");
        result.addProperty("r", rank);
        result.addProperty("adapted_modules", layers);
        System.out.println(result);
        System.out.flush();
        return 0;
    }
}
