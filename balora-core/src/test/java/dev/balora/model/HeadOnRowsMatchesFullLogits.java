package dev.balora.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.nn.ForwardContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Running the output head only on some rows of the final hidden states (what the causal-LM task does to skip the
 * prompt positions) gives exactly those rows of the whole logits, for every decoder family, on a left-padded batch.
 */
class HeadOnRowsMatchesFullLogits {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama-gqa", "gemma", "qwen2"})
    void rowsEqualFullLogits(String name) {
        try (CausalLanguageModel model = (CausalLanguageModel) Models.load(TinyCheckpoints.dir(name));
                NDManager m = model.manager().newSubManager()) {
            assertTrue(model.splitsHead(), name);
            TinyCheckpoints.Case c = TinyCheckpoints.golden(name).get("left_padded");
            NDArray ids = m.create(TinyCheckpoints.flat(c.inputIds()), new Shape(2, 7));
            NDArray mask = m.create(TinyCheckpoints.flat(c.mask()), new Shape(2, 7));
            float[] full = model.logits(ids, mask, ForwardContext.INFERENCE).toFloatArray();
            NDArray hidden = model.hiddenStates(ids, mask, ForwardContext.INFERENCE);
            long h = hidden.getShape().get(2);
            assertEquals(3, hidden.getShape().dimension());
            long[] rows = {1, 3, 4, 6, 9, 13}; // flat positions b * 7 + t
            NDArray picked = hidden.reshape(14, h).get(m.create(rows));
            NDArray logits = model.headLogits(picked, ForwardContext.INFERENCE);
            int v = model.vocabSize();
            assertEquals(new Shape(rows.length, v), logits.getShape());
            float[] got = logits.toFloatArray();
            for (int i = 0; i < rows.length; i++) {
                for (int k = 0; k < v; k++) {
                    float want = full[(int) rows[i] * v + k];
                    assertEquals(want, got[i * v + k], 1e-6 * Math.max(1, Math.abs(want)),
                            name + " row " + rows[i] + " token " + k);
                }
            }
        }
    }
}
