package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.checkpoint.TensorSource;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against torch.optim.AdamW (src/test/resources/train/adamw_reference.py), including save/restore of moments. */
class AdamWMatchesTorch {

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    @Test
    void threeUpdatesWithChangingLearningRateAndRestoredState() throws Exception {
        JsonObject ref;
        try (InputStreamReader r = new InputStreamReader(
                AdamWMatchesTorch.class.getResourceAsStream("/train/adamw_reference.json"), StandardCharsets.UTF_8)) {
            ref = JsonParser.parseReader(r).getAsJsonObject();
        }
        Shape shape = new Shape(2, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(floats(ref.getAsJsonArray("initial")), shape);
            AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.01, m);
            JsonArray grads = ref.getAsJsonArray("grads");
            JsonArray lrs = ref.getAsJsonArray("lrs");
            JsonArray after = ref.getAsJsonArray("after");
            for (int t = 0; t < 3; t++) {
                if (t == 2) {
                    // Save and restore into a fresh optimizer mid-run: the third update must not notice.
                    TensorSource state = opt.state();
                    opt = new AdamW(0.9, 0.999, 1e-8, 0.01, m);
                    opt.restore(state, 2, Map.of("w", p));
                }
                NDArray g = m.create(floats(grads.get(t).getAsJsonArray()), shape);
                opt.update(Map.of("w", p), Map.of("w", g), lrs.get(t).getAsFloat());
                assertArrayEquals(floats(after.get(t).getAsJsonArray()), p.toFloatArray(), 1e-6f, "after update "
                        + (t + 1));
            }
            assertEquals(3, opt.updates());
            TensorSource state = opt.state();
            assertArrayEquals(floats(ref.getAsJsonArray("exp_avg")), state.readFloats("exp_avg.w"), 1e-7f);
            assertArrayEquals(floats(ref.getAsJsonArray("exp_avg_sq")), state.readFloats("exp_avg_sq.w"), 1e-9f);
        }
    }
}
