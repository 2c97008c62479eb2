package dev.balora.app;

import dev.balora.recipe.ModelResolver;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.ResidualExport;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.balora.app.options.AdapterOptions;
import dev.balora.adapter.InitMethod;
import dev.balora.recipe.AdapterSettings;
import dev.balora.recipe.Method;
import dev.balora.recipe.TaskKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code balora adapt}: attaches freshly initialised adapters and writes {@code OUT/residual/} (the base weights
 * after init: W_res for PiSSA, the unchanged base otherwise) and {@code OUT/adapter/} (PEFT adapter with the
 * initial A, B).
 */
@Command(name = "adapt", mixinStandardHelpOptions = true,
        description = "Initialise LoRA/PiSSA adapters; writes OUT/residual (HF checkpoint) and OUT/adapter (PEFT).")
final class AdaptCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR|NAME",
            description = "a model directory or an embedded model name")
    String model;

    @Mixin
    AdapterOptions adapter;

    @Option(names = "--seed", defaultValue = "0", description = "seed of random inits (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() {
        Path dir = ModelResolver.resolve(model);
        try (PretrainedModel loaded = Models.load(dir)) {
            TaskKind kind = loaded instanceof CausalLanguageModel ? TaskKind.CAUSAL_LM : TaskKind.CLASSIFICATION;
            // No method here: the init is --init's (default lora); alpha defaults as for the model's kind.
            AdapterSettings settings = adapter.settings();
            AdapterConfig config = settings.resolve(kind, methodOf(settings))
                    .toConfig(loaded, taskType(loaded), false, seed, model);
            long start = System.nanoTime();
            LoraModel lora = LoraModel.attach(loaded, config);
            double initSeconds = (System.nanoTime() - start) / 1e9;
            Path adapterDir = out.resolve("adapter");
            Path residualDir = out.resolve("residual");
            PeftAdapter.save(lora, adapterDir);
            ResidualExport.write(loaded, HfCheckpoint.readConfig(dir.resolve(HfCheckpoint.CONFIG)), residualDir, dir);
            JsonObject result = new JsonObject();
            result.addProperty("adapter", adapterDir.toString());
            result.addProperty("residual", residualDir.toString());
            result.addProperty("init", config.init().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            result.addProperty("adapted_modules", lora.adapters().size());
            result.addProperty("trainable_params", lora.parameterCount().trainable());
            result.addProperty("total_params", lora.parameterCount().total());
            result.addProperty("init_seconds", initSeconds);
            System.out.println(new GsonBuilder().create().toJson(result));
            System.out.flush();
        }
        return 0;
    }

    /** The method whose init family --init names (adapt trains nothing, so only the init matters). */
    private static Method methodOf(AdapterSettings settings) {
        if (settings.init() == null) {
            return Method.LORA;
        }
        InitMethod init = InitMethod.parse(settings.init());
        return init == InitMethod.PISSA_FAST ? Method.PISSA_FAST : init.writesResidual() ? Method.PISSA : Method.LORA;
    }

    static String taskType(PretrainedModel model) {
        if (model instanceof CausalLanguageModel) {
            return "CAUSAL_LM";
        }
        return model.outputHeadPaths().isEmpty() ? "FEATURE_EXTRACTION" : "SEQ_CLS";
    }
}
