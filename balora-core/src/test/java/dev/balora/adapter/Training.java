package dev.balora.adapter;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Param;
import java.util.Map;

/** A few AdamW steps on the tiny model, so that tests see trained (moved) adapters and heads. */
public final class Training {

    private Training() {}

    /** Runs {@code steps} AdamW steps minimising the mean squared logits on {@code x}. */
    public static void steps(TinyModel model, LoraModel lora, NDArray x, int steps) {
        Map<String, Param> trainable = lora.trainableParameters();
        Optimizer adamw = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(0.05f)).optWeightDecays(0f).build();
        for (int step = 0; step < steps; step++) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(model.forward(x, ForwardContext.TRAINING).square().mean());
            }
            for (Map.Entry<String, Param> e : trainable.entrySet()) {
                NDArray w = e.getValue().array();
                adamw.update(e.getKey(), w, w.getGradient());
            }
        }
    }
}
