package dev.balora.app;

import dev.balora.recipe.ModelResolver;
import com.google.gson.JsonObject;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.ResidualExport;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code balora merge}: applies an adapter to its model, merges it into the weights (safe mode) and writes an HF checkpoint. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge a PEFT adapter into the model it applies to and write a Hugging Face checkpoint.")
final class MergeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR|NAME",
            description = "the model the adapter applies to (for a PiSSA adapter: its residual model)")
    String model;

    @Option(names = "--adapter", required = true, description = "PEFT adapter directory")
    Path adapter;

    @Option(names = "--out", required = true, description = "output model directory")
    Path out;

    @Override
    public Integer call() {
        Path dir = ModelResolver.resolve(model);
        int layers;
        try (PretrainedModel loaded = Models.load(dir)) {
            LoraModel lora = PeftAdapter.load(loaded, adapter);
            layers = lora.adapters().size();
            lora.mergeAndUnload();
            ResidualExport.write(loaded, HfCheckpoint.readConfig(dir.resolve(HfCheckpoint.CONFIG)), out, dir);
        }
        JsonObject result = new JsonObject();
        result.addProperty("model", out.toString());
        result.addProperty("merged_modules", layers);
        System.out.println(result);
        System.out.flush();
        return 0;
    }
}
