package dev.balora.adapter.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraAdapter;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.TinyModel;
import dev.balora.adapter.Training;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class PissaConvertsToLoraOnTheOriginalBase {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void convertedAdapterOnTheOriginalBaseEqualsTheTrainedPissaModel(boolean rslora, @TempDir Path dir)
            throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 33);
            NDArray x = TinyModel.input(m, 4, 9);
            AdapterConfig config = AdapterConfig.builder().setTargets("all-linear").optRank(3).optAlpha(6)
                    .optUseRslora(rslora).optRankPattern(Map.of("down_proj", 2)).optInit(InitMethod.PISSA)
                    .optModulesToSave(List.of("classifier")).build();
            LoraModel lora = LoraModel.attach(model, config);
            Training.steps(model, lora, x, 3);
            NDArray trained = model.forward(x, ForwardContext.INFERENCE);
            PeftAdapter.save(lora, dir.resolve("pissa"));
            PissaToLora.convert(dir.resolve("pissa"), dir.resolve("lora"));

            JsonObject c = JsonParser.parseString(Files.readString(dir.resolve("lora/adapter_config.json")))
                    .getAsJsonObject();
            assertEquals(6, c.get("r").getAsInt());
            assertEquals(4, c.getAsJsonObject("rank_pattern").get("down_proj").getAsInt());
            assertEquals(rslora ? 6 * Math.sqrt(2) : 12, c.get("lora_alpha").getAsDouble(), 1e-12);

            TinyModel original = new TinyModel(m.newSubManager(), 33);
            LoraModel converted = PeftAdapter.load(original, dir.resolve("lora"));
            Map<String, Linear> trainedLinears = Layers.linears(model);
            double worst = 0;
            for (LoraAdapter a : converted.adapters().values()) {
                LoraAdapter p = lora.adapters().get(a.path());
                assertEquals(2 * p.rank(), a.rank());
                assertEquals(p.scaling(), a.scaling(), 1e-12, "scaling must be unchanged");
                // W + s'·B'·A' against W_res + s·B·A, per layer.
                NDArray lhs = Layers.linears(original).get(a.path()).weight().array().add(a.deltaWeight(false));
                NDArray rhs = trainedLinears.get(a.path()).weight().array().add(p.deltaWeight(false));
                double d = lhs.sub(rhs).abs().max().getFloat();
                worst = Math.max(worst, d);
                assertTrue(d <= 1e-5, a.path() + ": conversion identity off by " + d);
            }
            double out = original.forward(x, ForwardContext.INFERENCE).sub(trained).abs().max().getFloat();
            System.out.printf("PiSSA->LoRA (rslora=%s): worst per-layer identity error %.3g, outputs %.3g%n",
                    rslora, worst, out);
            assertTrue(out <= 1e-5, "converted outputs differ by " + out);
        }
    }
}
