package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import org.junit.jupiter.api.Test;

class MergeUnmergeAndUnload {

    /** A trained-looking adapter: B no longer zero, so merging changes weights. */
    private static LoraModel trainedLora(TinyModel model) {
        LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("all-linear").optRank(3)
                .optAlpha(6).build());
        for (LoraAdapter a : lora.adapters().values()) {
            NDArray b = a.b().array();
            b.addi(b.getManager().randomNormal(0, 0.3f, b.getShape(), b.getDataType()));
        }
        return lora;
    }

    @Test
    void mergedWeightsGiveTheAdaptedOutputsAndUnmergeRestores() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 9);
            NDArray x = TinyModel.input(m, 4, 3);
            NDArray base = model.forward(x, ForwardContext.INFERENCE);
            LoraModel lora = trainedLora(model);
            NDArray adapted = model.forward(x, ForwardContext.INFERENCE);
            assertTrue(TestArrays.maxAbsDiff(base, adapted) > 1e-2);
            lora.merge(true);
            assertTrue(TestArrays.maxAbsDiff(adapted, model.forward(x, ForwardContext.INFERENCE)) <= 1e-5);
            // Merged weights without adapters are the adapted model too.
            assertTrue(TestArrays.maxAbsDiff(adapted, model.forward(x, ForwardContext.ADAPTERS_DISABLED)) <= 1e-5);
            lora.unmerge();
            assertTrue(TestArrays.maxAbsDiff(base, model.forward(x, ForwardContext.ADAPTERS_DISABLED)) <= 1e-5);
            assertTrue(TestArrays.maxAbsDiff(adapted, model.forward(x, ForwardContext.INFERENCE)) <= 1e-5);

            lora.mergeAndUnload();
            for (Linear l : Layers.linears(model).values()) {
                assertNull(l.activeAdapter(), l.path());
            }
            assertEquals(0, Layers.count(model, true));
            assertTrue(TestArrays.maxAbsDiff(adapted, model.forward(x, ForwardContext.INFERENCE)) <= 1e-5);
        }
    }

    @Test
    void safeMergeRefusesNonFiniteDeltasAndChangesNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 9);
            NDArray x = TinyModel.input(m, 4, 3);
            LoraModel lora = trainedLora(model);
            NDArray adapted = model.forward(x, ForwardContext.INFERENCE);
            NDArray a = lora.adapters().get("blocks.1.mlp.down_proj").a().array();
            a.set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> lora.merge(true));
            assertTrue(e.getMessage().contains("blocks.1.mlp.down_proj"), e.getMessage());
            for (LoraAdapter ad : lora.adapters().values()) {
                assertTrue(!ad.merged(), "nothing may be merged after a refused merge");
            }
            a.set(new ai.djl.ndarray.index.NDIndex("0, 0"), 0f);
            // Unloading without merge leaves the base weights: for LoRA init that is the base model.
            lora.unload();
            assertTrue(TestArrays.maxAbsDiff(adapted, model.forward(x, ForwardContext.INFERENCE)) > 1e-2);
        }
    }
}
