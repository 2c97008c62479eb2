package dev.balora.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.TinyCheckpoints;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import dev.balora.nn.Param;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Autograd flows through the whole decoder (RoPE, GQA, padding mask, norms, gated MLP): the gradient of a fixed
 * linear functional of the logits of a left-padded batch matches central finite differences.
 */
class DecoderGradientsMatchFiniteDifferences {

    @ParameterizedTest
    @CsvSource({"llama-gqa, model.layers.0.self_attn.q_proj.weight", "gemma, model.layers.1.input_layernorm.weight",
        "qwen2, model.layers.0.self_attn.k_proj.bias"})
    void gradientMatches(String name, String paramKey) {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir(name));
                NDManager m = model.manager().newSubManager()) {
            TinyCheckpoints.Case c = TinyCheckpoints.golden(name).get("left_padded");
            NDArray ids = m.create(TinyCheckpoints.flat(c.inputIds()), new Shape(2, 7));
            NDArray mask = m.create(TinyCheckpoints.flat(c.mask()), new Shape(2, 7));
            Random r = new Random(5);
            float[] wv = new float[2 * 7 * model.vocabSize()];
            for (int i = 0; i < wv.length; i++) {
                // Padded query rows do not count: their logits are not meaningful outputs.
                int row = i / (7 * model.vocabSize());
                int col = (i / model.vocabSize()) % 7;
                wv[i] = c.mask()[row][col] == 0 ? 0f : (float) r.nextGaussian();
            }
            NDArray weights = m.create(wv, new Shape(2, 7, model.vocabSize()));
            Param p = Layers.parameters(model).get(paramKey);
            p.setTrainable(true);
            float[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.logits(ids, mask, ForwardContext.INFERENCE).mul(weights).sum();
                gc.backward(loss);
                grad = p.array().getGradient().toFloatArray();
            }
            p.setTrainable(false);
            float[] base = p.array().toFloatArray();
            int checked = 0;
            for (int idx : new int[] {0, base.length / 2, base.length - 1}) {
                double eps = 1e-2;
                double up = loss(model, p, base, idx, eps, ids, mask, weights);
                double down = loss(model, p, base, idx, -eps, ids, mask, weights);
                double fd = (up - down) / (2 * eps);
                System.out.printf("%s %s[%d]: autograd %.5f, finite difference %.5f%n", name, paramKey, idx, grad[idx], fd);
                assertEquals(fd, grad[idx], 2e-3 + 1e-2 * Math.abs(fd), name + " " + paramKey + "[" + idx + "]");
                checked++;
            }
            assertEquals(3, checked);
            assertTrue(java.util.Arrays.stream(new double[] {grad[0], grad[base.length - 1]}).anyMatch(g -> g != 0));
        }
    }

    private static double loss(CausalLanguageModel model, Param p, float[] base, int idx, double delta, NDArray ids,
            NDArray mask, NDArray weights) {
        float[] v = base.clone();
        v[idx] += (float) delta;
        p.replace(p.array().getManager().create(v, p.shape()));
        double out = model.logits(ids, mask, ForwardContext.INFERENCE).mul(weights).sum().getFloat();
        p.replace(p.array().getManager().create(base, p.shape()));
        return out;
    }
}
