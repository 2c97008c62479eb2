package dev.balora.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PEFT adapter for a BERT encoder with {@code target_modules: ["dense"]} also adapts the pooler's dense. Onto an
 * encoder imported without a pooler it is refused, and the message says the model has no pooler (not that the
 * config does not target the module); onto the same encoder with a pooler it loads. Tensors for a module the model
 * has but the config does not target keep the old message.
 */
class PeftAdapterForAMissingPoolerSaysSo {
    private static final int H = TinyBert.HIDDEN;
    private static final int I = 16;

    @TempDir
    Path dir;

    private static final String CONFIG = """
            {"peft_type": "LORA", "task_type": "FEATURE_EXTRACTION", "r": 2, "lora_alpha": 2, "lora_dropout": 0.0,
             "target_modules": ["dense"], "bias": "none", "fan_in_fan_out": false, "init_lora_weights": true,
             "modules_to_save": null, "base_model_name_or_path": "tiny-bert", "inference_mode": true,
             "exclude_modules": null, "lora_bias": false}
            """;

    /** An adapter directory with factors for every "dense" of a 2-layer encoder, the pooler's included. */
    private Path adapter(String name, String... extraModules) {
        SafetensorsFileBuilder b = new SafetensorsFileBuilder();
        for (int l = 0; l < 2; l++) {
            String p = "encoder.layer." + l;
            factors(b, p + ".attention.output.dense", H, H);
            factors(b, p + ".intermediate.dense", H, I);
            factors(b, p + ".output.dense", I, H);
        }
        factors(b, "pooler.dense", H, H);
        for (String m : extraModules) {
            factors(b, m, H, H);
        }
        Path d = dir.resolve(name);
        b.write(d.resolve(PeftAdapter.WEIGHTS));
        AtomicFiles.writeString(d.resolve(PeftAdapter.CONFIG), CONFIG);
        return d;
    }

    private static void factors(SafetensorsFileBuilder b, String module, int in, int out) {
        b.f32("base_model.model." + module + ".lora_A.weight", new long[] {2, in}, new float[2 * in]);
        b.f32("base_model.model." + module + ".lora_B.weight", new long[] {out, 2}, new float[out * 2]);
    }

    private static BertConfig config() {
        return BertConfig.parse("tiny", TinyBert.config("bert", 2));
    }

    @Test
    void encoderWithoutPoolerNamesTheMissingPooler() {
        Path d = adapter("a");
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = BertModel.load(config(), TinyBert.weights(config(), "", 1), m.newSubManager());
            CheckpointException e = assertThrows(CheckpointException.class, () -> PeftAdapter.load(model, d));
            String msg = e.getMessage();
            assertTrue(msg.contains(d.resolve(PeftAdapter.WEIGHTS).toString()), msg);
            assertTrue(msg.contains("modules this bert model does not have: [pooler.dense]"), msg);
            assertTrue(msg.contains("the model has no pooler"), msg);
            assertTrue(!msg.contains("does not target"), msg);
        }
    }

    @Test
    void sameAdapterLoadsOntoAnEncoderWithAPooler() {
        Path d = adapter("b");
        InMemoryTensors weights = TinyBert.weights(config(), "", 1)
                .put("pooler.dense.weight", new long[] {H, H}, new float[H * H])
                .put("pooler.dense.bias", new long[] {H}, new float[H]);
        try (NDManager m = NDManager.newBaseManager()) {
            LoraModel lora = PeftAdapter.load(BertModel.load(config(), weights, m.newSubManager()), d);
            assertEquals(7, lora.adapters().size());
            assertTrue(lora.adapters().containsKey("pooler.dense"));
        }
    }

    @Test
    void untargetedModulesTheModelHasKeepTheirMessage() {
        Path d = adapter("c", "encoder.layer.0.attention.self.query");
        InMemoryTensors weights = TinyBert.weights(config(), "", 1)
                .put("pooler.dense.weight", new long[] {H, H}, new float[H * H])
                .put("pooler.dense.bias", new long[] {H}, new float[H]);
        try (NDManager m = NDManager.newBaseManager()) {
            BertModel model = BertModel.load(config(), weights, m.newSubManager());
            String msg = assertThrows(CheckpointException.class, () -> PeftAdapter.load(model, d)).getMessage();
            assertTrue(msg.contains("holds tensors for modules the config does not target or save: "
                    + List.of("encoder.layer.0.attention.self.query")), msg);
        }
    }
}
