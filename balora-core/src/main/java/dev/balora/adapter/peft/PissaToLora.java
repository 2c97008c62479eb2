package dev.balora.adapter.peft;

import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.LoraAdapter;
import dev.balora.adapter.LoraModel;
import dev.balora.adapter.Scaling;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.checkpoint.SafetensorsFile;
import dev.balora.checkpoint.TensorInfo;
import dev.balora.checkpoint.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts an adapter trained on a PiSSA residual into a plain LoRA adapter of rank 2r for the ORIGINAL base:
 * {@code A' = [A ; A0]}, {@code B' = [B , -B0]}, r and alpha doubled so s is unchanged (rsLoRA: alpha times
 * sqrt 2). Then {@code W + s B' A' = W_res + s B A}: no SVD is needed at load time.
 */
public final class PissaToLora {
    private static final String A_SUFFIX = "." + LoraAdapter.A_NAME;
    private static final String B_SUFFIX = "." + LoraAdapter.B_NAME;

    private PissaToLora() {}

    /**
     * Converts the adapter of an adapted model in memory and writes the LoRA adapter.
     *
     * @param lora the trained model (its adapters hold A, B and A0, B0)
     * @param outDirectory the converted PEFT adapter directory
     */
    public static void save(LoraModel lora, Path outDirectory) {
        write(lora.config(), AdapterTensors.current(lora), AdapterTensors.initial(lora), outDirectory,
                PeftAdapter.isConv1d(lora.model()));
    }

    /**
     * Converts a saved adapter directory (which must hold {@value PeftAdapter#INITIAL}, written by
     * {@link PeftAdapter#save}).
     *
     * @param adapterDirectory the trained adapter
     * @param outDirectory the converted PEFT adapter directory
     */
    public static void convert(Path adapterDirectory, Path outDirectory) {
        Path initialFile = adapterDirectory.resolve(PeftAdapter.INITIAL);
        if (!Files.isRegularFile(initialFile)) {
            throw new CheckpointException(adapterDirectory, null, "has no " + PeftAdapter.INITIAL
                    + ": the initial factors A0, B0 are needed to convert a PiSSA adapter to LoRA");
        }
        AdapterConfig config = PeftAdapter.readConfig(adapterDirectory);
        com.google.gson.JsonObject raw = dev.balora.checkpoint.HfCheckpoint.readConfig(
                adapterDirectory.resolve(PeftAdapter.CONFIG));
        boolean fanInFanOut = raw.has("fan_in_fan_out") && raw.get("fan_in_fan_out").getAsBoolean();
        try (SafetensorsFile current = SafetensorsFile.open(adapterDirectory.resolve(PeftAdapter.WEIGHTS));
                SafetensorsFile initial = SafetensorsFile.open(initialFile)) {
            write(config, current, initial, outDirectory, fanInFanOut);
        }
    }

    private static void write(AdapterConfig config, TensorSource current, TensorSource initial, Path out,
            boolean fanInFanOut) {
        InMemoryTensors converted = new InMemoryTensors("converted adapter");
        for (String name : current.names()) {
            TensorInfo now = current.info(name);
            if (name.endsWith(A_SUFFIX) || name.endsWith(B_SUFFIX)) {
                TensorInfo then = initial.info(name);
                if (!java.util.Arrays.equals(now.shape(), then.shape())) {
                    throw new CheckpointException(initial.location(), name, "initial shape " + then.shapeText()
                            + " differs from the trained " + now.shapeText());
                }
                int rows = Math.toIntExact(now.shape()[0]);
                int cols = Math.toIntExact(now.shape()[1]);
                float[] x = current.readFloats(name);
                float[] x0 = initial.readFloats(name);
                if (name.endsWith(A_SUFFIX)) {
                    // A' = [A ; A0]: rows stacked, [2r, in].
                    float[] y = new float[2 * rows * cols];
                    System.arraycopy(x, 0, y, 0, x.length);
                    System.arraycopy(x0, 0, y, x.length, x0.length);
                    converted.put(name, new long[] {2L * rows, cols}, y);
                } else {
                    // B' = [B , -B0]: columns side by side, [out, 2r].
                    float[] y = new float[rows * 2 * cols];
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            y[r * 2 * cols + c] = x[r * cols + c];
                            y[r * 2 * cols + cols + c] = -x0[r * cols + c];
                        }
                    }
                    converted.put(name, new long[] {rows, 2L * cols}, y);
                }
            } else {
                converted.put(name, now.shape(), current.readFloats(name));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("balora_converted_from", String.valueOf(config.init().peftValue(config.niter())));
        PeftAdapter.write(out, PeftConfigJson.toJson(doubled(config), Boolean.TRUE, fanInFanOut), converted, null,
                meta);
    }

    /** The configuration of the converted adapter: ranks and alphas doubled, plain LoRA init. */
    static AdapterConfig doubled(AdapterConfig c) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        c.rankPattern().forEach((k, v) -> ranks.put(k, 2 * v));
        Map<String, Double> alphas = new LinkedHashMap<>();
        c.alphaPattern().forEach((k, v) -> alphas.put(k, Scaling.alphaForDoubledRank(v, c.useRslora())));
        return c.toBuilder().optRank(2 * c.rank()).optAlpha(Scaling.alphaForDoubledRank(c.alpha(), c.useRslora()))
                .optRankPattern(ranks).optAlphaPattern(alphas).optInit(InitMethod.LORA).build();
    }
}
