package dev.balora.app;

import dev.balora.recipe.ModelResolver;
import com.google.gson.JsonObject;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.ResidualExport;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.DType;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code balora merge}: applies an adapter to its model, merges it into the weights (safe mode) and writes an HF
 * checkpoint in the base checkpoint's type (BF16 and F16 bases stay BF16 and F16, rounded to nearest even; a mixed
 * or F32 base gives F32; F32 too when merged values leave the half type's range). {@code config.json}'s
 * {@code torch_dtype} names the type written.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge a PEFT adapter into the model it applies to and write a Hugging Face checkpoint.")
final class MergeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(MergeCommand.class);

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
        DType dtype;
        try (PretrainedModel loaded = Models.load(dir)) {
            LoraModel lora = PeftAdapter.load(loaded, adapter);
            layers = lora.adapters().size();
            lora.mergeAndUnload();
            try (HfCheckpoint base = HfCheckpoint.open(dir)) {
                dtype = ResidualExport.baseDType(base);
            }
            JsonObject config = HfCheckpoint.readConfig(dir.resolve(HfCheckpoint.CONFIG));
            try {
                ResidualExport.write(loaded, config, out, dir, dtype);
            } catch (CheckpointException e) {
                if (dtype == DType.F32) {
                    throw e;
                }
                // A merged value beyond the half type's range: keep every value, say so in config.json.
                LOG.warn("the merged weights do not fit {} ({}); writing F32 instead", dtype, e.getMessage());
                dtype = DType.F32;
                ResidualExport.write(loaded, config, out, dir, dtype);
            }
        }
        JsonObject result = new JsonObject();
        result.addProperty("model", out.toString());
        result.addProperty("merged_modules", layers);
        result.addProperty("dtype", dtype.name());
        System.out.println(result);
        System.out.flush();
        return 0;
    }
}
