package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsFollowPeftMatchingRules {

    private static List<String> targets(AdapterConfig.Builder b) {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m, 1);
            return List.copyOf(TargetResolver.resolve(model, b.build()).targets().keySet());
        }
    }

    @Test
    void listMatchesWholeNamesBySuffixRegexMatchesFullPathAllLinearSkipsHead() {
        assertEquals(List.of("blocks.0.attn.q_proj", "blocks.1.attn.q_proj"),
                targets(AdapterConfig.builder().setTargets("q_proj")));
        // "mlp.up_proj" is a dotted suffix; "proj" alone is no whole name and matches nothing by suffix rules.
        assertEquals(List.of("blocks.0.mlp.up_proj", "blocks.1.mlp.up_proj"),
                targets(AdapterConfig.builder().setTargets("mlp.up_proj")));
        assertEquals(List.of("blocks.1.mlp.up_proj", "blocks.1.mlp.down_proj"),
                targets(AdapterConfig.builder().setTargets(ModuleSelector.regex("blocks\\.1\\.mlp\\..*"))));
        assertEquals(6, targets(AdapterConfig.builder().setTargets("all-linear")).size());
        assertEquals(List.of("blocks.0.attn.q_proj", "blocks.0.mlp.up_proj", "blocks.0.mlp.down_proj"),
                targets(AdapterConfig.builder().setTargets("all-linear")
                        .optExclude(ModuleSelector.regex("blocks\\.1\\..*"))));
        // An explicitly named head may be adapted (PEFT allows lm_head targets).
        assertEquals(List.of("classifier"), targets(AdapterConfig.builder().setTargets("classifier").optRank(2)));
    }

    @Test
    void rankAndAlphaPatternsAndRsloraGiveTheScaling() {
        AdapterConfig c = AdapterConfig.builder().setTargets("all-linear").optRank(8).optAlpha(16)
                .optRankPattern(Map.of("down_proj", 4)).optAlphaPattern(Map.of("blocks\\.1\\.attn\\.q_proj", 2.0))
                .build();
        assertEquals(4, c.rankFor("blocks.0.mlp.down_proj"));
        assertEquals(8, c.rankFor("blocks.0.mlp.up_proj"));
        assertEquals(16.0 / 4, c.scalingFor("blocks.0.mlp.down_proj"), 0);
        assertEquals(2.0 / 8, c.scalingFor("blocks.1.attn.q_proj"), 0);
        assertEquals(16.0 / 8, c.scalingFor("blocks.0.attn.q_proj"), 0);
        AdapterConfig rs = c.toBuilder().optUseRslora(true).build();
        assertEquals(16.0 / Math.sqrt(8), rs.scalingFor("blocks.0.attn.q_proj"), 1e-15);
        assertEquals(16.0 / 2, rs.scalingFor("blocks.0.mlp.down_proj"), 1e-15);
    }

    /** Targets in a TinyModel whose blocks lie under "model." (as layers do in Hugging Face models). */
    private static List<String> prefixedTargets(AdapterConfig.Builder b) {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m, 1, false, "model.");
            return List.copyOf(TargetResolver.resolve(model, b.build()).targets().keySet());
        }
    }

    /** PEFT's check_target_module_exists: layers_to_transform keeps the listed layer indices of a name list. */
    @Test
    void layersToTransformKeepsTheListedLayers() {
        assertEquals(List.of("model.blocks.1.attn.q_proj"),
                prefixedTargets(AdapterConfig.builder().setTargets("q_proj").optLayersToTransform(List.of(1))));
        assertEquals(List.of("model.blocks.0.attn.q_proj", "model.blocks.0.mlp.up_proj",
                "model.blocks.0.mlp.down_proj"),
                prefixedTargets(AdapterConfig.builder().setTargets("q_proj", "up_proj", "down_proj")
                        .optLayersToTransform(List.of(0)).optLayersPattern(List.of("blocks"))));
        assertEquals(List.of("model.blocks.0.mlp.up_proj", "model.blocks.1.mlp.up_proj"),
                prefixedTargets(AdapterConfig.builder().setTargets("up_proj").optLayersToTransform(List.of(1, 0))
                        .optLayersPattern(List.of("layers", "blocks"))));
        // A path equal to a listed name is adapted whatever its layer, as in PEFT ("key in target_modules").
        assertEquals(List.of("model.blocks.0.mlp.up_proj", "model.blocks.1.attn.q_proj"),
                prefixedTargets(AdapterConfig.builder().setTargets("model.blocks.0.mlp.up_proj", "q_proj")
                        .optLayersToTransform(List.of(1))));
        // Without layers_to_transform nothing is restricted.
        assertEquals(2, prefixedTargets(AdapterConfig.builder().setTargets("q_proj")).size());
    }

    @Test
    void layerIndexIsPeftsFirstNumberedSegment() {
        AdapterConfig any = AdapterConfig.builder().setTargets("x").optLayersToTransform(List.of(0)).build();
        assertEquals(Integer.valueOf(3), any.layerIndex("model.layers.3.mlp.down_proj"));
        assertEquals(Integer.valueOf(11), any.layerIndex("bert.encoder.layer.11.output.dense"));
        assertEquals(Integer.valueOf(2), any.layerIndex("transformer.h.2.attn.c_attn"));
        assertEquals(Integer.valueOf(1), any.layerIndex("model.layers.1.experts.0.w1"), "the first index (PEFT 0.20)");
        // PEFT's pattern needs a dot before the segment, and a module after the index.
        assertEquals(null, any.layerIndex("h.2.attn.c_attn"));
        assertEquals(null, any.layerIndex("model.layers.3"));
        assertEquals(null, any.layerIndex("lm_head"));
        AdapterConfig h = AdapterConfig.builder().setTargets("x").optLayersToTransform(List.of(0))
                .optLayersPattern(List.of("h")).build();
        assertEquals(Integer.valueOf(2), h.layerIndex("transformer.h.2.attn.c_attn"));
        assertEquals(null, h.layerIndex("model.layers.3.mlp.down_proj"));
        assertEquals(false, h.inTransformedLayer("transformer.h.2.attn.c_attn"));
        assertEquals(true, h.inTransformedLayer("transformer.h.0.attn.c_attn"));
    }

    @Test
    void badLayerSettingsAreRefusedNamingTheField() {
        String m = assertThrows(IllegalArgumentException.class, () -> prefixedTargets(AdapterConfig.builder()
                .setTargets("q_proj").optLayersToTransform(List.of(5)))).getMessage();
        assertTrue(m.contains("layers_to_transform: layer 5") && m.contains("[0, 1]"), m);
        // PEFT's rule needs a dot before the layer segment: blocks at the model's top level have no index.
        m = assertThrows(IllegalArgumentException.class, () -> targets(AdapterConfig.builder()
                .setTargets("q_proj").optLayersToTransform(List.of(0)))).getMessage();
        assertTrue(m.contains("no module of target_modules [q_proj] has a layer index"), m);
        m = assertThrows(IllegalArgumentException.class, () -> prefixedTargets(AdapterConfig.builder()
                .setTargets("q_proj").optLayersToTransform(List.of(0)).optLayersPattern(List.of("layers"))))
                .getMessage();
        assertTrue(m.contains("layers_pattern [layers]") && m.contains("no module"), m);
        m = assertThrows(IllegalArgumentException.class, () -> AdapterConfig.builder()
                .setTargets(ModuleSelector.regex(".*q_proj")).optLayersToTransform(List.of(0)).build()).getMessage();
        assertTrue(m.contains("layers_to_transform") && m.contains("list of names"), m);
        m = assertThrows(IllegalArgumentException.class, () -> AdapterConfig.builder()
                .setTargets("all-linear").optLayersToTransform(List.of(0)).build()).getMessage();
        assertTrue(m.contains("all-linear"), m);
        m = assertThrows(IllegalArgumentException.class, () -> AdapterConfig.builder()
                .setTargets("q_proj").optLayersPattern(List.of("blocks")).build()).getMessage();
        assertTrue(m.contains("layers_pattern") && m.contains("needs layers_to_transform"), m);
        m = assertThrows(IllegalArgumentException.class, () -> AdapterConfig.builder()
                .setTargets("q_proj").optLayersToTransform(List.of(-1)).build()).getMessage();
        assertTrue(m.contains("layers_to_transform holds -1"), m);
    }
}
