package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.nn.ForwardContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PissaInitKeepsOutputs {

    @ParameterizedTest
    @EnumSource(InitMethod.class)
    void adaptedModelStartsAsTheBaseModel(InitMethod init) {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 7);
            NDArray x = TinyModel.input(m, 5, 1);
            NDArray base = model.forward(x, ForwardContext.INFERENCE);
            AdapterConfig config = AdapterConfig.builder().setTargets("all-linear").optRank(4).optAlpha(8)
                    .optInit(init).optNiter(2).optOversampling(2).build();
            LoraModel lora = LoraModel.attach(model, config);
            assertEquals(6, lora.adapters().size(), "all-linear = 6 Linears, classifier excluded");
            double diff = TestArrays.maxAbsDiff(base, model.forward(x, ForwardContext.INFERENCE));
            double ref = TestArrays.maxAbsDiff(base, model.forward(x, ForwardContext.REFERENCE));
            System.out.printf("%s init: max |adapted - base| = %.3g, reference %.3g%n", init, diff, ref);
            assertTrue(diff <= 1e-4, init + ": adapted output differs from base by " + diff);
            assertTrue(ref <= 1e-4, init + ": reference output differs from base by " + ref);
            if (init.writesResidual()) {
                // The residual model alone is NOT the base: the principal part now lives in the adapters.
                double residual = TestArrays.maxAbsDiff(base, model.forward(x, ForwardContext.ADAPTERS_DISABLED));
                assertTrue(residual > 1e-2, "residual model should differ from base, diff " + residual);
            }
        }
    }
}
