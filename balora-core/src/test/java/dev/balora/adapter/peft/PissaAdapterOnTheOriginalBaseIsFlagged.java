package dev.balora.adapter.peft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.TinyModel;
import dev.balora.checkpoint.SafetensorsFile;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class PissaAdapterOnTheOriginalBaseIsFlagged {

    @ParameterizedTest
    @EnumSource(value = InitMethod.class, names = {"PISSA", "PISSA_FAST"})
    void originalBaseIsFlaggedResidualIsNot(InitMethod init, @TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 4);
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("all-linear").optRank(4)
                    .optAlpha(4).optInit(init).optNiter(2).build());
            assertFalse(ResidualCheck.looksLikeOriginalBase(lora));
            PeftAdapter.save(lora, dir.resolve("adapter"));
            JsonObject c = new JsonObject();
            ResidualExport.write(model, c, dir.resolve("residual"), null);

            LoraModel onOriginal = PeftAdapter.load(new TinyModel(m.newSubManager(), 4), dir.resolve("adapter"));
            assertTrue(ResidualCheck.looksLikeOriginalBase(onOriginal), "original base not recognised");
            try (SafetensorsFile residual = SafetensorsFile.open(dir.resolve("residual/model.safetensors"))) {
                LoraModel onResidual = PeftAdapter.load(TinyModel.load(m.newSubManager(), residual),
                        dir.resolve("adapter"));
                assertFalse(ResidualCheck.looksLikeOriginalBase(onResidual), "residual taken for the original");
            }
        }
    }
}
