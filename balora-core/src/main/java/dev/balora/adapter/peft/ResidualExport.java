package dev.balora.adapter.peft;

import ai.djl.ndarray.NDArray;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.DType;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.checkpoint.SafetensorsWriter;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.Layer;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a model's base weights as a Hugging Face directory ({@code config.json} + {@code model.safetensors}):
 * after PiSSA init the residual model W_res, after a merge the merged model. Adapter factors are left out; trained
 * heads are written with their initial values while they hold a reference copy (the trained values travel in the
 * adapter), with their current values otherwise. GPT-2's Conv1D weights go back to their [in, out] layout.
 * Tensors are read one at a time while writing. The weights are written as F32 unless a type is asked for (a merge
 * keeps its base's BF16 or F16, see {@link #baseDType}), and {@code config.json}'s {@code torch_dtype} (and
 * {@code dtype}, its newer name, where present) always says what was written.
 */
public final class ResidualExport {
    private static final List<String> SIDE_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "vocab.txt", "tokenizer.model", "generation_config.json");

    private static final Set<String> CONV1D_NAMES = Set.of("c_attn", "c_proj", "c_fc");

    private ResidualExport() {}

    /**
     * Writes the export.
     *
     * @param model the model whose base weights are written
     * @param config its {@code config.json}
     * @param outDirectory the target directory
     * @param sourceDirectory the directory the model was loaded from, or null: its checkpoint tensors that the layer
     *     tree does not hold (buffers, unused heads) and its tokenizer files are carried over
     */
    public static void write(PretrainedModel model, JsonObject config, Path outDirectory, Path sourceDirectory) {
        write(model, config, outDirectory, sourceDirectory, DType.F32);
    }

    /**
     * Writes the export with its weights in {@code dtype}.
     *
     * @param model the model whose base weights are written
     * @param config its {@code config.json}; the written copy's {@code torch_dtype} names {@code dtype}
     * @param outDirectory the target directory
     * @param sourceDirectory as in {@link #write(PretrainedModel, JsonObject, Path, Path)}
     * @param dtype F32, F16 or BF16 (rounded to nearest even)
     * @throws dev.balora.checkpoint.CheckpointException naming the tensor when a value is beyond F16's or BF16's
     *     range
     */
    public static void write(PretrainedModel model, JsonObject config, Path outDirectory, Path sourceDirectory,
            DType dtype) {
        ArrayTensors tensors = new ArrayTensors("model " + model.modelType());
        Set<Object> written = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> held = new HashSet<>();
        for (Layer layer : Layers.all(model)) {
            if (layer instanceof Linear linear) {
                boolean ref = linear.hasReferenceCopy();
                String key = Layers.key(linear.path(), "weight");
                NDArray w = ref ? linear.referenceWeight() : linear.weight().array();
                if (isConv1d(model, linear)) {
                    held.add(key);
                    if (written.add(w)) {
                        tensors.putTransposed(key, w);
                    }
                } else {
                    add(tensors, written, held, key, w);
                }
                if (linear.bias() != null) {
                    add(tensors, written, held, Layers.key(linear.path(), "bias"),
                            ref ? linear.referenceBias() : linear.bias().array());
                }
            } else {
                for (Map.Entry<String, Param> e : layer.parameters().entrySet()) {
                    add(tensors, written, held, Layers.key(layer.path(), e.getKey()), e.getValue().array());
                }
            }
        }
        try {
            Files.createDirectories(outDirectory);
            if (sourceDirectory == null) {
                SafetensorsWriter.write(outDirectory.resolve(HfCheckpoint.WEIGHTS), tensors, dtype, Map.of());
            } else {
                try (HfCheckpoint source = HfCheckpoint.open(sourceDirectory)) {
                    Set<String> covered = withSuffixes(held);
                    for (String name : source.tensors().names()) {
                        if (!covered.contains(name) && !anySuffixIn(name, held)) {
                            tensors.borrow(name, source.tensors());
                        }
                    }
                    SafetensorsWriter.write(outDirectory.resolve(HfCheckpoint.WEIGHTS), tensors, dtype, Map.of());
                }
                for (String f : SIDE_FILES) {
                    Path p = sourceDirectory.resolve(f);
                    if (Files.isRegularFile(p)) {
                        Files.copy(p, outDirectory.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDirectory + ": " + e.getMessage(), e);
        }
        JsonObject outConfig = config.deepCopy();
        outConfig.addProperty("torch_dtype", torchName(dtype));
        if (outConfig.has("dtype")) {
            outConfig.addProperty("dtype", torchName(dtype));
        }
        AtomicFiles.writeString(outDirectory.resolve(HfCheckpoint.CONFIG),
                new GsonBuilder().setPrettyPrinting().create().toJson(outConfig) + "\n");
    }

    /** The torch name of a dtype, as {@code config.json}'s {@code torch_dtype} holds it. */
    static String torchName(DType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        };
    }

    /**
     * The type a merged checkpoint keeps: the type of every weight tensor of the base checkpoint when they all
     * share one (BF16 or F16), else F32, which holds every value of the others exactly.
     *
     * @param base the checkpoint the model was loaded from
     * @return F32, F16 or BF16
     */
    public static DType baseDType(HfCheckpoint base) {
        DType common = null;
        for (String name : base.tensors().names()) {
            DType t = base.tensors().info(name).dtype();
            if (common == null) {
                common = t;
            } else if (common != t) {
                return DType.F32;
            }
        }
        return common == null ? DType.F32 : common;
    }

    /**
     * Every key and every dotted suffix of it: a source checkpoint may name the same tensor with or without a model
     * prefix ({@code bert.}, {@code transformer.}), and such a tensor must not be carried over a second time.
     */
    private static Set<String> withSuffixes(Set<String> keys) {
        Set<String> out = new HashSet<>();
        for (String k : keys) {
            out.add(k);
            for (int i = k.indexOf('.'); i >= 0; i = k.indexOf('.', i + 1)) {
                out.add(k.substring(i + 1));
            }
        }
        return out;
    }

    private static boolean anySuffixIn(String name, Set<String> keys) {
        for (int i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
            if (keys.contains(name.substring(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** GPT-2's attention and MLP projections are Conv1D modules: stored [in, out] in its checkpoints. */
    static boolean isConv1d(PretrainedModel model, Linear linear) {
        if (!"gpt2".equals(model.modelType())) {
            return false;
        }
        String name = linear.path().substring(linear.path().lastIndexOf('.') + 1);
        return CONV1D_NAMES.contains(name);
    }

    private static void add(ArrayTensors tensors, Set<Object> written, Set<String> held, String key,
            NDArray array) {
        held.add(key);
        // A tied weight is stored once, under its first key, as Hugging Face stores tied embeddings.
        if (written.add(array)) {
            tensors.put(key, array);
        }
    }
}
