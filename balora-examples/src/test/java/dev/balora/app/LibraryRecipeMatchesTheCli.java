package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.recipe.AdapterSettings;
import dev.balora.recipe.FineTune;
import dev.balora.recipe.FineTuneResult;
import dev.balora.recipe.Method;
import dev.balora.recipe.OptimizationSettings;
import dev.balora.recipe.Preset;
import dev.balora.recipe.RunFile;
import dev.balora.recipe.TaskSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java snippet and {@code balora finetune} with the same settings are one code path: the same per-step
 * losses, the same resolved run.json settings and the same summary keys.
 */
class LibraryRecipeMatchesTheCli {

    @Test
    void readmeSnippetAndCliGiveTheSameSteps(@TempDir Path tmp) throws Exception {
        Path data = RunFolders.demoData(tmp.resolve("data"));
        Path viaLibrary = tmp.resolve("library");
        String previous = System.getProperty("balora.cache");
        System.setProperty("balora.cache", TestCache.dir().toString());
        FineTuneResult result;
        try {
            // As in README.md "Using the library", with a smaller budget.
            result = FineTune.builder()
                    .setModel("all-minilm-l6-v2")
                    .setTask(TaskSettings.glue("sst2", data).optTrainLimit(48).optMaxLength(24))
                    .setMethod(Method.BALORA).optPreset(Preset.NLU_EARLY_SCRIPT_HIDDEN)
                    .optAdapter(AdapterSettings.builder().optTargets("query,value").optRank(4).optInit("pissa-fast")
                            .optNiter(2).build())
                    .optOptimization(OptimizationSettings.builder().optMaxSteps(5).optBatchSize(8)
                            .optLearningRate(1e-3).build())
                    .optOutput(viaLibrary)
                    .build().run();
        } finally {
            if (previous == null) {
                System.clearProperty("balora.cache");
            } else {
                System.setProperty("balora.cache", previous);
            }
        }
        Path viaCli = tmp.resolve("cli");
        AppRun cli = AppRun.run(TestCache.dir(), "finetune", "--task", "sst2", "--data", data.toString(),
                "--train-limit", "48", "--max-length", "24", "--method", "balora", "--preset",
                "nlu-early-script-hidden", "--targets", "query,value", "--rank", "4", "--init", "pissa-fast",
                "--niter", "2", "--max-steps", "5", "--batch-size", "8", "--lr", "1e-3", "--out", viaCli.toString());
        assertEquals(0, cli.code(), cli.err());

        double[] library = RunFolders.losses(viaLibrary);
        double[] command = RunFolders.losses(viaCli);
        assertEquals(5, library.length);
        assertArrayEquals(library, command, 1e-6, "per-step losses");
        assertEquals(RunFile.read(viaLibrary), RunFile.read(viaCli), "resolved settings in run.json");
        JsonObject printed = JsonParser.parseString(cli.out()).getAsJsonObject();
        assertEquals(result.toJson().keySet(), printed.keySet(), "summary keys");
        assertEquals(printed, JsonParser.parseString(Files.readString(viaCli.resolve("summary.json"))),
                "the printed line is summary.json");
        assertEquals(result.metrics().get("accuracy"), printed.getAsJsonObject("metrics").get("accuracy")
                .getAsDouble(), 1e-12);
    }
}
