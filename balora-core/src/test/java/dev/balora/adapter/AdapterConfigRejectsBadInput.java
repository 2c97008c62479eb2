package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AdapterConfigRejectsBadInput {

    private static void fails(String expected, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expected), "message '" + ex.getMessage() + "' lacks '" + expected + "'");
    }

    private static void attach(AdapterConfig.Builder b) {
        try (NDManager m = NDManager.newBaseManager()) {
            LoraModel.attach(new TinyModel(m, 1), b.build());
        }
    }

    @Test
    void buildRejectsBadValues() {
        fails("target_modules is required", () -> AdapterConfig.builder().build());
        fails("r must be >= 1", () -> AdapterConfig.builder().setTargets("q_proj").optRank(0).build());
        fails("lora_alpha", () -> AdapterConfig.builder().setTargets("q_proj").optAlpha(Double.NaN).build());
        fails("lora_dropout", () -> AdapterConfig.builder().setTargets("q_proj").optDropout(1.0).build());
        fails("rank_pattern 'q_proj' must be >= 1", () -> AdapterConfig.builder().setTargets("q_proj")
                .optRankPattern(java.util.Map.of("q_proj", 0)).build());
        fails("invalid", () -> ModuleSelector.regex("blocks.(["));
        fails("unknown init 'svd'", () -> InitMethod.parse("svd"));
        // Dropout with PiSSA only warns: the config is still usable.
        AdapterConfig.builder().setTargets("q_proj").optInit(InitMethod.PISSA).optDropout(0.1).build();
    }

    @Test
    void attachRejectsWhatDoesNotFitTheModel() {
        fails("unknown module name 'v_proj'", () -> attach(AdapterConfig.builder().setTargets("q_proj", "v_proj")));
        fails("names no Linear", () -> attach(AdapterConfig.builder().setTargets("mlp")));
        fails("matches no Linear", () -> attach(AdapterConfig.builder().setTargets(ModuleSelector.regex("q_proj"))));
        fails("exclude_modules: unknown module name 'o_proj'", () -> attach(AdapterConfig.builder()
                .setTargets("all-linear").optExclude(ModuleSelector.names(List.of("o_proj")))));
        fails("r = 17 for 'blocks.0.attn.q_proj' exceeds min(in, out) = 16",
                () -> attach(AdapterConfig.builder().setTargets("q_proj").optRank(17)));
        fails("modules_to_save 'score' matches no module",
                () -> attach(AdapterConfig.builder().setTargets("q_proj").optModulesToSave(List.of("score"))));
        fails("'norm', which is not a Linear",
                () -> attach(AdapterConfig.builder().setTargets("q_proj").optModulesToSave(List.of("norm"))));
        fails("outside modules_to_save [classifier] matches no Linear", () -> attach(AdapterConfig.builder().setTargets("classifier")
                .optModulesToSave(List.of("classifier"))));
    }

    @Test
    void tiedWeightsAreNeverWrittenInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel tied = new TinyModel(m, 1, true);
            fails("'blocks.0.attn.q_proj' shares its weight with 'blocks.1.attn.q_proj.weight'",
                    () -> LoraModel.attach(tied, AdapterConfig.builder().setTargets("q_proj").optRank(2)
                            .optInit(InitMethod.PISSA).build()));
            // Plain LoRA leaves the base weights alone, so a tie is harmless there.
            LoraModel.attach(tied, AdapterConfig.builder().setTargets("q_proj").optRank(2).build());
        }
    }
}
