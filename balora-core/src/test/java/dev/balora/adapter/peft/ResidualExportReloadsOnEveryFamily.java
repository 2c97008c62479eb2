package dev.balora.adapter.peft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraAdapter;
import dev.balora.adapter.LoraModel;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.TinyCheckpoints;
import dev.balora.nn.ForwardContext;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the tiny decoders (GPT-2 with Conv1D layout, Llama-GQA, Qwen2, Gemma): PiSSA keeps the logits; after a
 * trained-looking change of B the saved residual + adapter, reloaded from disk, give the same logits; the
 * PiSSA-to-LoRA conversion on the original checkpoint gives them too.
 */
class ResidualExportReloadsOnEveryFamily {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama-gqa", "qwen2", "gemma"})
    void residualAndAdapterReloadWithTheSameLogits(String name, @TempDir Path dir) {
        Path source = TinyCheckpoints.dir(name);
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(source);
                NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.create(new long[] {1, 5, 9, 3, 7, 2}, new Shape(1, 6));
            NDArray base = model.logits(ids, null, ForwardContext.INFERENCE);
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("all-linear").optRank(2)
                    .optAlpha(4).optInit(InitMethod.PISSA).build());
            double init = base.sub(model.logits(ids, null, ForwardContext.INFERENCE)).abs().max().getFloat();
            assertTrue(init <= 1e-4, name + ": PiSSA changed the logits by " + init);
            for (LoraAdapter a : lora.adapters().values()) {
                NDArray b = a.b().array();
                b.addi(b.getManager().randomNormal(0, 0.05f, b.getShape(), b.getDataType()));
            }
            NDArray trained = model.logits(ids, null, ForwardContext.INFERENCE);
            PeftAdapter.save(lora, dir.resolve("adapter"));
            ResidualExport.write(model, HfCheckpoint.readConfig(source.resolve("config.json")),
                    dir.resolve("residual"), source);
            PissaToLora.save(lora, dir.resolve("lora"));
            try (CausalLanguageModel reloaded = (CausalLanguageModel) Models.load(dir.resolve("residual"));
                    NDManager m2 = reloaded.manager().newSubManager()) {
                PeftAdapter.load(reloaded, dir.resolve("adapter"));
                NDArray ids2 = m2.create(new long[] {1, 5, 9, 3, 7, 2}, new Shape(1, 6));
                double d = trained.sub(reloaded.logits(ids2, null, ForwardContext.INFERENCE).toDevice(
                        trained.getDevice(), false)).abs().max().getFloat();
                assertTrue(d <= 1e-5, name + ": reloaded residual + adapter differ by " + d);
            }
            try (CausalLanguageModel original = (CausalLanguageModel) Models.load(source);
                    NDManager m3 = original.manager().newSubManager()) {
                PeftAdapter.load(original, dir.resolve("lora"));
                NDArray ids3 = m3.create(new long[] {1, 5, 9, 3, 7, 2}, new Shape(1, 6));
                double d = trained.sub(original.logits(ids3, null, ForwardContext.INFERENCE)).abs().max().getFloat();
                assertTrue(d <= 1e-5, name + ": converted LoRA on the original differs by " + d);
            }
        }
    }
}
