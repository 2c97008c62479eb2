package dev.balora.app;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.ModuleSelector;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.ResidualExport;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--init", defaultValue = "lora", paramLabel = "lora|gaussian|pissa|pissa-fast",
            description = "initialisation (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--rank", defaultValue = "8", description = "r (default: ${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--alpha", defaultValue = "8", description = "lora_alpha (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--targets", defaultValue = "all-linear", paramLabel = "all-linear|NAME,NAME",
            description = "target modules: all-linear or a comma-separated name list (default: ${DEFAULT-VALUE})")
    String targets;

    @Option(names = "--target-regex", paramLabel = "REGEX",
            description = "target modules as one full-match regular expression (instead of --targets)")
    String targetRegex;

    @Option(names = "--modules-to-save", split = ",", paramLabel = "NAME",
            description = "heads trained in full and saved with the adapter")
    List<String> modulesToSave = List.of();

    @Option(names = "--dropout", defaultValue = "0", description = "lora_dropout (default: ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--rslora", description = "scale by alpha / sqrt(r)")
    boolean rslora;

    @Option(names = "--niter", defaultValue = "4", description = "PiSSA-fast subspace iterations (default: ${DEFAULT-VALUE})")
    int niter;

    @Option(names = "--oversampling", defaultValue = "8",
            description = "PiSSA-fast extra random columns (default: ${DEFAULT-VALUE})")
    int oversampling;

    @Option(names = "--seed", defaultValue = "0", description = "seed of random inits (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() {
        Path dir = ModelResolver.resolve(model);
        try (PretrainedModel loaded = Models.load(dir)) {
            AdapterConfig config = AdapterConfig.builder()
                    .setTargets(targetRegex != null ? ModuleSelector.regex(targetRegex)
                            : targets.equals(ModuleSelector.ALL_LINEAR) ? ModuleSelector.allLinear()
                            : ModuleSelector.names(Arrays.asList(targets.split(","))))
                    .optRank(rank).optAlpha(alpha).optDropout(dropout).optUseRslora(rslora)
                    .optInit(InitMethod.parse(init)).optNiter(niter).optOversampling(oversampling).optSeed(seed)
                    .optModulesToSave(modulesToSave).optTaskType(taskType(loaded)).optBaseModelNameOrPath(model)
                    .build();
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

    static String taskType(PretrainedModel model) {
        if (model instanceof CausalLanguageModel) {
            return "CAUSAL_LM";
        }
        return model.outputHeadPaths().isEmpty() ? "FEATURE_EXTRACTION" : "SEQ_CLS";
    }
}
