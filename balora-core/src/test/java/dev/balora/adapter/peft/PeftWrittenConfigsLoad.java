package dev.balora.adapter.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.TinyModel;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs as newer PEFT releases write them (every LoraConfig field, including keys balora never writes) load;
 * non-default values of features that change what the tensors mean are refused naming the key; a PEFT adapter
 * restricted by layers_to_transform / layers_pattern loads onto exactly its layers.
 */
class PeftWrittenConfigsLoad {
    @TempDir
    Path dir;

    /** adapter_config.json as PEFT 0.14.0's save_pretrained writes it (sorted keys, indent 2). */
    static final String PEFT_0_14 = """
            {
              "alpha_pattern": {},
              "auto_mapping": null,
              "base_model_name_or_path": "tiny",
              "bias": "none",
              "eva_config": null,
              "exclude_modules": null,
              "fan_in_fan_out": false,
              "inference_mode": true,
              "init_lora_weights": true,
              "layer_replication": null,
              "layers_pattern": null,
              "layers_to_transform": null,
              "loftq_config": {},
              "lora_alpha": 16,
              "lora_bias": false,
              "lora_dropout": 0.05,
              "megatron_config": null,
              "megatron_core": "megatron.core",
              "modules_to_save": null,
              "peft_type": "LORA",
              "r": 4,
              "rank_pattern": {},
              "revision": null,
              "target_modules": [
                "down_proj",
                "q_proj"
              ],
              "task_type": "CAUSAL_LM",
              "use_dora": false,
              "use_rslora": false
            }
            """;

    /** The keys PEFT 0.15 to 0.18 added, at their defaults. */
    static final String PEFT_0_18_EXTRA = """
              "corda_config": null,
              "trainable_token_indices": null,
              "qalora_group_size": 16,
              "use_qalora": false,
              "target_parameters": null,
              "alora_invocation_tokens": null,
              "arrow_config": null,
              "ensure_weight_tying": false,
              "peft_version": "0.18.0",
            """;

    private Path adapterDir(String name, String configJson) {
        Path d = dir.resolve(name);
        AtomicFiles.writeString(d.resolve(PeftAdapter.CONFIG), configJson);
        return d;
    }

    private static String peft018() {
        return PEFT_0_14.replaceFirst("\\{\n", "{\n" + PEFT_0_18_EXTRA);
    }

    @Test
    void configsWrittenByPeft014AndLaterAreRead() {
        for (String json : List.of(PEFT_0_14, peft018())) {
            AdapterConfig c = PeftAdapter.readConfig(adapterDir("c" + json.length(), json));
            assertEquals(4, c.rank());
            assertEquals(16.0, c.alpha());
            assertEquals(0.05, c.dropout());
            assertEquals(List.of("down_proj", "q_proj"), c.targets().peftValue());
            assertEquals(null, c.exclude());
            assertEquals(List.of(), c.layersToTransform());
            assertEquals("CAUSAL_LM", c.taskType());
        }
    }

    @Test
    void nonDefaultNewerFeaturesAreRefusedNamingTheKey() {
        String[][] cases = {
            {"\"lora_bias\": false", "\"lora_bias\": true", "lora_bias"},
            {"\"use_dora\": false", "\"use_dora\": true", "use_dora"},
            {"\"layer_replication\": null", "\"layer_replication\": [[0, 2], [1, 2]]", "layer_replication"},
            {"\"trainable_token_indices\": null", "\"trainable_token_indices\": [3, 4]", "trainable_token_indices"},
            {"\"use_qalora\": false", "\"use_qalora\": true", "use_qalora"},
            {"\"target_parameters\": null", "\"target_parameters\": [\"experts.w1\"]", "target_parameters"},
            {"\"alora_invocation_tokens\": null", "\"alora_invocation_tokens\": [5]", "alora_invocation_tokens"},
            {"\"layers_to_transform\": null", "\"layers_to_transform\": [0.5]", "layers_to_transform"},
        };
        for (String[] c : cases) {
            String json = peft018().replace(c[0], c[1]);
            assertTrue(json.contains(c[1]), c[1]);
            Path d = adapterDir(c[2], json);
            String m = assertThrows(CheckpointException.class, () -> PeftAdapter.readConfig(d)).getMessage();
            assertTrue(m.contains(d.resolve(PeftAdapter.CONFIG).toString()) && m.contains(c[2]), m);
        }
    }

    /**
     * A PEFT adapter with {@code layers_to_transform: 1} (an int, as PEFT also accepts) and
     * {@code layers_pattern: "blocks"} holds tensors for block 1 only: it loads, adapts exactly block 1, and its
     * factors are the file's.
     */
    @Test
    void layersToTransformAdapterFromPeftLoadsOntoItsLayersOnly() {
        String json = PEFT_0_14.replace("\"layers_pattern\": null", "\"layers_pattern\": \"blocks\"")
                .replace("\"layers_to_transform\": null", "\"layers_to_transform\": 1");
        Path d = adapterDir("layers", json);
        float[] a = new float[4 * 16];
        float[] b = new float[16 * 4];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7 - 3) / 8f;
            b[i] = (i % 5 - 2) / 16f;
        }
        float[] aDown = new float[4 * 24];
        float[] bDown = new float[16 * 4];
        new SafetensorsFileBuilder()
                .f32("base_model.model.model.blocks.1.attn.q_proj.lora_A.weight", new long[] {4, 16}, a)
                .f32("base_model.model.model.blocks.1.attn.q_proj.lora_B.weight", new long[] {16, 4}, b)
                .f32("base_model.model.model.blocks.1.mlp.down_proj.lora_A.weight", new long[] {4, 24}, aDown)
                .f32("base_model.model.model.blocks.1.mlp.down_proj.lora_B.weight", new long[] {16, 4}, bDown)
                .write(d.resolve(PeftAdapter.WEIGHTS));
        try (NDManager m = NDManager.newBaseManager()) {
            LoraModel lora = PeftAdapter.load(new TinyModel(m, 3, false, "model."), d);
            assertEquals(List.of("model.blocks.1.attn.q_proj", "model.blocks.1.mlp.down_proj"),
                    List.copyOf(lora.adapters().keySet()));
            assertEquals(List.of(1), lora.config().layersToTransform());
            assertEquals(List.of("blocks"), lora.config().layersPattern());
            float[] loaded = lora.adapters().get("model.blocks.1.attn.q_proj").a().array().toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], loaded[i], 0f, "A[" + i + "]");
            }
        }
    }
}
