package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
