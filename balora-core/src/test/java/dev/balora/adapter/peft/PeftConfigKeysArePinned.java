package dev.balora.adapter.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.ModuleSelector;
import dev.balora.adapter.TinyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact key set balora writes to adapter_config.json, per configuration, and the oldest PEFT release that loads
 * it. PEFT before 0.14 refuses any key its LoraConfig lacks, so a key newer than 0.3.0 appears only when the
 * adapter needs its feature. The expected sets and versions are written by hand from PEFT's tagged sources
 * (LoraConfig and PeftConfig fields per release), not derived from the code under test.
 */
class PeftConfigKeysArePinned {
    /** The keys of every adapter: all known to PEFT 0.3.0 (init_lora_weights is the newest, 0.3.0). */
    static final Set<String> CORE = Set.of("base_model_name_or_path", "bias", "fan_in_fan_out", "inference_mode",
            "init_lora_weights", "lora_alpha", "lora_dropout", "modules_to_save", "peft_type", "r", "target_modules",
            "task_type");

    @TempDir
    Path dir;

    private JsonObject saved(AdapterConfig.Builder b) throws IOException {
        Path out = dir.resolve("a" + System.nanoTime());
        try (NDManager m = NDManager.newBaseManager()) {
            LoraModel lora = LoraModel.attach(new TinyModel(m, 5, false, "model."), b.build());
            PeftAdapter.save(lora, out);
        }
        return read(out);
    }

    private static JsonObject read(Path adapterDir) throws IOException {
        return JsonParser.parseString(Files.readString(adapterDir.resolve(PeftAdapter.CONFIG))).getAsJsonObject();
    }

    private static Set<String> with(String... extra) {
        Set<String> s = new TreeSet<>(CORE);
        s.addAll(List.of(extra));
        return s;
    }

    private static void assertKeys(Set<String> expected, String version, JsonObject json) {
        assertEquals(new TreeSet<>(expected), new TreeSet<>(json.keySet()), json.toString());
        assertEquals(version, PeftConfigJson.oldestPeftVersion(json), json.toString());
    }

    private static AdapterConfig.Builder lora() {
        return AdapterConfig.builder().setTargets("q_proj", "down_proj").optRank(2).optAlpha(4);
    }

    @Test
    void plainLoraWritesOnlyTheCoreKeys() throws IOException {
        JsonObject c = saved(lora());
        assertKeys(CORE, "0.3.0", c);
        assertTrue(c.get("modules_to_save").isJsonNull());
        assertTrue(c.get("init_lora_weights").getAsBoolean());
    }

    @Test
    void pissaAndItsLoraConversionWriteOnlyTheCoreKeys() throws IOException {
        AdapterConfig.Builder pissa = lora().optInit(InitMethod.PISSA);
        assertKeys(CORE, "0.3.0", saved(pissa));
        assertKeys(CORE, "0.3.0", saved(lora().optInit(InitMethod.PISSA_FAST).optNiter(2)));
        Path converted = dir.resolve("converted");
        try (NDManager m = NDManager.newBaseManager()) {
            PissaToLora.save(LoraModel.attach(new TinyModel(m, 5), pissa.build()), converted);
        }
        JsonObject c = read(converted);
        assertKeys(CORE, "0.3.0", c);
        assertEquals(4, c.get("r").getAsInt());
    }

    @Test
    void rsloraAddsUseRsloraNeedingPeft080() throws IOException {
        JsonObject c = saved(lora().optUseRslora(true));
        assertKeys(with("use_rslora"), "0.8.0", c);
        assertTrue(c.get("use_rslora").getAsBoolean());
    }

    @Test
    void modulesToSaveIsACoreKey() throws IOException {
        JsonObject c = saved(lora().optModulesToSave(List.of("classifier")).optTaskType("SEQ_CLS"));
        assertKeys(CORE, "0.3.0", c);
        assertEquals("[\"classifier\"]", c.get("modules_to_save").toString());
    }

    @Test
    void rankAndAlphaPatternsNeedPeft060() throws IOException {
        JsonObject c = saved(lora().optRankPattern(Map.of("down_proj", 1)).optAlphaPattern(Map.of("q_proj", 8.0)));
        assertKeys(with("rank_pattern", "alpha_pattern"), "0.6.0", c);
        assertEquals("{\"down_proj\":1}", c.get("rank_pattern").toString());
        assertEquals("{\"q_proj\":8}", c.get("alpha_pattern").toString());
        assertKeys(with("rank_pattern"), "0.6.0", saved(lora().optRankPattern(Map.of("down_proj", 1))));
    }

    @Test
    void layersToTransformNeedsPeft040AndSeveralLayerPatternsPeft060() throws IOException {
        JsonObject c = saved(lora().optLayersToTransform(List.of(1)));
        assertKeys(with("layers_to_transform"), "0.4.0", c);
        assertEquals("[1]", c.get("layers_to_transform").toString());
        JsonObject one = saved(lora().optLayersToTransform(List.of(0)).optLayersPattern(List.of("blocks")));
        assertKeys(with("layers_to_transform", "layers_pattern"), "0.4.0", one);
        assertEquals("\"blocks\"", one.get("layers_pattern").toString(), "one name as a string, as PEFT 0.4 reads it");
        JsonObject two = saved(lora().optLayersToTransform(List.of(0)).optLayersPattern(List.of("blocks", "h")));
        assertKeys(with("layers_to_transform", "layers_pattern"), "0.6.0", two);
        assertEquals("[\"blocks\",\"h\"]", two.get("layers_pattern").toString());
    }

    @Test
    void excludeModulesNeedsPeft0140() throws IOException {
        JsonObject c = saved(AdapterConfig.builder().setTargets("all-linear")
                .optExclude(ModuleSelector.names(List.of("q_proj"))));
        assertKeys(with("exclude_modules"), "0.14.0", c);
        assertEquals("[\"q_proj\"]", c.get("exclude_modules").toString());
    }

    @Test
    void valuesThatNeedANewerPeftThanTheirKey() throws IOException {
        assertKeys(CORE, "0.8.0", saved(AdapterConfig.builder().setTargets("all-linear")));
        assertKeys(CORE, "0.4.0", saved(lora().optTaskType("FEATURE_EXTRACTION")));
        assertKeys(CORE, "0.3.0", saved(lora().optTaskType("CAUSAL_LM")));
    }

    @Test
    void theVersionTableCoversEveryKeyBaloraWrites() {
        Set<String> all = with("use_rslora", "rank_pattern", "alpha_pattern", "layers_to_transform", "layers_pattern",
                "exclude_modules");
        assertEquals(all, new TreeSet<>(PeftConfigJson.OLDEST_PEFT_BY_KEY.keySet()));
        assertEquals("0.3.0", PeftConfigJson.OLDEST_PEFT_BY_KEY.get("init_lora_weights"));
        assertEquals("0.14.0", PeftConfigJson.OLDEST_PEFT_BY_KEY.get("exclude_modules"));
        assertEquals("0.14.0", PeftConfigJson.later("0.9.0", "0.14.0"), "versions compare numerically");
    }
}
