package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.fixtures.HalfFloats;
import dev.balora.fixtures.RawSafetensors;
import dev.balora.fixtures.SafetensorsFileBuilder;
import dev.balora.fixtures.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code balora merge} of the bf16 aidreams260K writes BF16 tensors and says {@code torch_dtype: "bfloat16"}: the
 * merged weights are the hand-computed {@code W + s B A} rounded to bfloat16 by the independent
 * {@link HalfFloats}, read with the independent {@link RawSafetensors}; every other tensor is the base's, bit for
 * bit. The adapter is written by hand with the fixtures' safetensors writer: A and B hold multiples of 1/16 and
 * s = 2, so {@code s B A} is exact in float and the merge rounds once, as the reference does. A residual written
 * as F32 from the bf16 base ({@code adapt}) says {@code float32}.
 */
class MergeKeepsTheBaseDType {
    private static final int R = 2;
    private static final int LAYERS = 4;

    @TempDir
    Path dir;

    /** Deterministic factor values, multiples of 1/16 in [-4/16, 4/16]. */
    private static float[] factor(int n, int salt) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * 7 + salt * 3) % 9 - 4) / 16f;
        }
        return v;
    }

    private Path adapter(RawSafetensors base, Map<String, float[][]> factors) {
        SafetensorsFileBuilder b = new SafetensorsFileBuilder();
        int salt = 0;
        for (int l = 0; l < LAYERS; l++) {
            for (String m : new String[] {"self_attn.q_proj", "mlp.down_proj"}) {
                String module = "model.layers." + l + "." + m;
                long[] shape = base.tensor(module + ".weight").shape();
                int out = (int) shape[0];
                int in = (int) shape[1];
                float[] a = factor(R * in, salt++);
                float[] bb = factor(out * R, salt++);
                b.f32("base_model.model." + module + ".lora_A.weight", new long[] {R, in}, a);
                b.f32("base_model.model." + module + ".lora_B.weight", new long[] {out, R}, bb);
                factors.put(module + ".weight", new float[][] {a, bb});
            }
        }
        Path d = dir.resolve("adapter");
        b.write(d.resolve("adapter_model.safetensors"));
        AtomicFiles.writeString(d.resolve("adapter_config.json"), """
                {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 2, "lora_alpha": 4, "lora_dropout": 0.0,
                 "target_modules": ["q_proj", "down_proj"], "bias": "none", "fan_in_fan_out": false,
                 "init_lora_weights": true, "modules_to_save": null, "base_model_name_or_path": null,
                 "inference_mode": true}
                """);
        return d;
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void bf16BaseMergesIntoBf16WithTheHandComputedRounding() throws IOException {
        Path baseDir = SharedData.require("models/aidreams260K-bf16");
        RawSafetensors base = RawSafetensors.read(baseDir.resolve("model.safetensors"));
        Map<String, float[][]> factors = new HashMap<>();
        Path adapter = adapter(base, factors);
        Path out = dir.resolve("merged");
        AppRun run = AppRun.run(null, "merge", "--model", baseDir.toString(), "--adapter", adapter.toString(),
                "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        JsonObject result = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("BF16", result.get("dtype").getAsString());
        assertEquals(2 * LAYERS, result.get("merged_modules").getAsInt());
        assertEquals("bfloat16", json(out.resolve("config.json")).get("torch_dtype").getAsString());

        RawSafetensors merged = RawSafetensors.read(out.resolve("model.safetensors"));
        assertEquals(base.tensors().keySet(), merged.tensors().keySet());
        int changed = 0;
        for (Map.Entry<String, RawSafetensors.Tensor> e : base.tensors().entrySet()) {
            String name = e.getKey();
            RawSafetensors.Tensor was = e.getValue();
            RawSafetensors.Tensor now = merged.tensor(name);
            assertEquals("BF16", now.dtype(), name);
            assertArrayEquals(was.shape(), now.shape(), name);
            float[][] ab = factors.get(name);
            if (ab == null) {
                assertArrayEquals(was.data(), now.data(), name + " is not adapted: its bits stay the base's");
                continue;
            }
            int rows = (int) was.shape()[0];
            int cols = (int) was.shape()[1];
            float[] w = was.values();
            short[] bits = now.shorts();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double delta = 0;
                    for (int k = 0; k < R; k++) {
                        delta += (double) ab[1][i * R + k] * ab[0][k * cols + j];
                    }
                    float exact = (float) (w[i * cols + j] + 2.0 * delta);
                    short expected = HalfFloats.toBf16Bits(exact);
                    if (bits[i * cols + j] != expected) {
                        fail(String.format("%s[%d,%d]: wrote %04x, hand rounding of %s gives %04x", name, i, j,
                                bits[i * cols + j], exact, expected));
                    }
                    changed += bits[i * cols + j] != toShort(was.data(), i * cols + j) ? 1 : 0;
                }
            }
        }
        System.out.printf("merge of the bf16 base: %d adapted elements changed, all BF16%n", changed);
        if (changed < 1000) {
            fail("the adapter should change most adapted elements, changed " + changed);
        }
    }

    private static short toShort(byte[] data, int index) {
        return (short) ((data[2 * index] & 0xff) | (data[2 * index + 1] << 8));
    }

    @Test
    void residualWrittenAsF32FromABf16BaseSaysFloat32() throws IOException {
        Path baseDir = SharedData.require("models/aidreams260K-bf16");
        Path out = dir.resolve("adapted");
        AppRun run = AppRun.run(null, "adapt", "--model", baseDir.toString(), "--init", "pissa", "--rank", "2",
                "--alpha", "2", "--targets", "q_proj", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        RawSafetensors residual = RawSafetensors.read(out.resolve("residual/model.safetensors"));
        residual.tensors().forEach((name, t) -> assertEquals("F32", t.dtype(), name));
        assertEquals("float32", json(out.resolve("residual/config.json")).get("torch_dtype").getAsString());
    }
}
