package dev.balora.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Param;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceForwardIgnoresTraining {

    @Test
    void referencePassReproducesTheBaseAfterAdamWSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyModel model = new TinyModel(m.newSubManager(), 5);
            NDArray x = TinyModel.input(m, 6, 2);
            NDArray base = model.forward(x, ForwardContext.INFERENCE);
            LoraModel lora = LoraModel.attach(model, AdapterConfig.builder().setTargets("q_proj", "up_proj", "down_proj")
                    .optRank(4).optAlpha(4).optInit(InitMethod.PISSA).optModulesToSave(List.of("classifier")).build());
            Map<String, Param> trainable = lora.trainableParameters();
            // 6 Linears x (A, B) + classifier weight and bias.
            assertEquals(14, trainable.size(), trainable.keySet().toString());
            assertTrue(trainable.containsKey("blocks.0.attn.q_proj.lora_A.weight"));
            assertTrue(trainable.containsKey("classifier.weight"));
            long expected = 2 * ((4 * 16 + 16 * 4) + (4 * 16 + 24 * 4) + (4 * 24 + 16 * 4)) + 3 * 16 + 3;
            assertEquals(expected, lora.parameterCount().trainable(), lora.parameterCount().toString());

            NDArray a0 = lora.adapters().get("blocks.1.mlp.up_proj").a().array().duplicate();
            Optimizer adamw = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(0.05f)).optWeightDecays(0f).build();
            for (int step = 0; step < 3; step++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.forward(x, ForwardContext.TRAINING);
                    collector.backward(logits.square().mean());
                }
                for (Map.Entry<String, Param> e : trainable.entrySet()) {
                    NDArray w = e.getValue().array();
                    adamw.update(e.getKey(), w, w.getGradient());
                }
            }
            double moved = TestArrays.maxAbsDiff(a0, lora.adapters().get("blocks.1.mlp.up_proj").a().array());
            double trained = TestArrays.maxAbsDiff(base, model.forward(x, ForwardContext.INFERENCE));
            double ref = TestArrays.maxAbsDiff(base, model.forward(x, ForwardContext.REFERENCE));
            System.out.printf("after 3 AdamW steps: A moved %.3g, outputs moved %.3g, reference vs base %.3g%n",
                    moved, trained, ref);
            assertTrue(moved > 1e-3, "A should have changed");
            assertTrue(trained > 1e-3, "the trained model's outputs should have changed");
            assertTrue(ref <= 1e-4, "reference pass differs from base by " + ref);
            // Merged, the reference pass still reproduces the base (it subtracts the merged update back out).
            lora.merge(true);
            assertTrue(TestArrays.maxAbsDiff(base, model.forward(x, ForwardContext.REFERENCE)) <= 1e-4);
        }
    }
}
