package dev.balora.adapter.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.TinyModel;
import dev.balora.adapter.Training;
import dev.balora.checkpoint.SafetensorsFile;
import dev.balora.nn.ForwardContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAdapterSurvivesSaveAndLoad {

    static AdapterConfig config() {
        return AdapterConfig.builder().setTargets("q_proj", "up_proj", "down_proj").optRank(4).optAlpha(8)
                .optInit(InitMethod.PISSA_FAST).optNiter(2).optModulesToSave(List.of("classifier"))
                .optTaskType("SEQ_CLS").optBaseModelNameOrPath("tiny").build();
    }

    @Test
    void loadedAdapterOnTheSavedResidualGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 21);
            NDArray x = TinyModel.input(m, 4, 8);
            LoraModel lora = LoraModel.attach(model, config());
            Training.steps(model, lora, x, 3);
            NDArray trained = model.forward(x, ForwardContext.INFERENCE);
            NDArray reference = model.forward(x, ForwardContext.REFERENCE);
            PeftAdapter.save(lora, dir.resolve("adapter"));
            JsonObject modelConfig = new JsonObject();
            modelConfig.addProperty("model_type", "tiny");
            ResidualExport.write(model, modelConfig, dir.resolve("residual"), null);

            TinyModel reloaded;
            try (SafetensorsFile residual = SafetensorsFile.open(dir.resolve("residual/model.safetensors"))) {
                assertTrue(residual.names().stream().noneMatch(n -> n.contains("lora_")), residual.names().toString());
                reloaded = TinyModel.load(m.newSubManager(), residual);
            }
            LoraModel lora2 = PeftAdapter.load(reloaded, dir.resolve("adapter"));
            double out = maxAbs(trained, reloaded.forward(x, ForwardContext.INFERENCE));
            double ref = maxAbs(reference, reloaded.forward(x, ForwardContext.REFERENCE));
            System.out.printf("save -> load: max |diff| outputs %.3g, reference %.3g%n", out, ref);
            assertEquals(0.0, out, "reloaded adapter must give identical outputs");
            assertEquals(0.0, ref, "reloaded reference pass must be identical");
            assertEquals(lora.parameterCount(), lora2.parameterCount());
        }
    }

    @Test
    void filesHavePeftKeyNamesShapesAndConfigFields(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 21);
            LoraModel lora = LoraModel.attach(model, config());
            PeftAdapter.save(lora, dir);
            Set<String> expected = new TreeSet<>();
            for (String b : List.of("blocks.0", "blocks.1")) {
                for (String mod : List.of("attn.q_proj", "mlp.up_proj", "mlp.down_proj")) {
                    expected.add("base_model.model." + b + "." + mod + ".lora_A.weight");
                    expected.add("base_model.model." + b + "." + mod + ".lora_B.weight");
                }
            }
            expected.add("base_model.model.classifier.weight");
            expected.add("base_model.model.classifier.bias");
            try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("adapter_model.safetensors"))) {
                assertEquals(expected, new TreeSet<>(f.names()));
                assertArrayEquals(new long[] {4, 16}, f.info("base_model.model.blocks.0.attn.q_proj.lora_A.weight").shape());
                assertArrayEquals(new long[] {24, 4}, f.info("base_model.model.blocks.1.mlp.up_proj.lora_B.weight").shape());
                assertArrayEquals(new long[] {4, 24}, f.info("base_model.model.blocks.1.mlp.down_proj.lora_A.weight").shape());
                assertArrayEquals(new long[] {3, 16}, f.info("base_model.model.classifier.weight").shape());
                assertEquals("pt", f.metadata().get("format"));
            }
            JsonObject c = JsonParser.parseString(Files.readString(dir.resolve("adapter_config.json"))).getAsJsonObject();
            // Only keys PEFT 0.3.0 knows: older PEFT refuses unknown keys (PeftConfigKeysArePinned has every case).
            assertEquals(new TreeSet<>(PeftConfigKeysArePinned.CORE), new TreeSet<>(c.keySet()));
            assertEquals("LORA", c.get("peft_type").getAsString());
            assertEquals("SEQ_CLS", c.get("task_type").getAsString());
            assertEquals(4, c.get("r").getAsInt());
            assertEquals("8", c.get("lora_alpha").toString(), "PEFT writes an integral alpha as an integer");
            assertEquals("[\"q_proj\",\"up_proj\",\"down_proj\"]", c.get("target_modules").toString());
            assertEquals("[\"classifier\"]", c.get("modules_to_save").toString());
            assertEquals("none", c.get("bias").getAsString());
            assertFalse(c.get("fan_in_fan_out").getAsBoolean());
            // The saved factors apply to the residual as they are: PEFT must not re-run an init on load.
            assertTrue(c.get("init_lora_weights").getAsBoolean());
            assertEquals("tiny", c.get("base_model_name_or_path").getAsString());
            // Reading it back gives the same configuration (init aside).
            AdapterConfig back = PeftAdapter.readConfig(dir);
            assertEquals(config().toBuilder().optInit(InitMethod.LORA).build().toString(), back.toString());
        }
    }

    private static double maxAbs(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
