package dev.balora.adapter.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.AdapterInit;
import dev.balora.adapter.LoraAdapter;
import dev.balora.adapter.LoraModel;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.DType;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.checkpoint.SafetensorsFile;
import dev.balora.checkpoint.SafetensorsWriter;
import dev.balora.checkpoint.TensorSource;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.Layer;
import dev.balora.nn.Layers;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and loads adapters in PEFT's directory format: {@code adapter_model.safetensors} (keys
 * {@code base_model.model.<path>.lora_A.weight} [r, in], {@code .lora_B.weight} [out, r], trained heads as
 * {@code base_model.model.<module>.<param>}) and {@code adapter_config.json}.
 *
 * <p>The saved factors apply to the model they were trained on (for PiSSA, the residual model), so the config
 * records {@code init_lora_weights = true}: PEFT then loads them without re-initialising. balora also writes
 * {@value #INITIAL}, the initial factors A0, B0 and initial heads, which PEFT ignores and
 * {@link PissaToLora} needs.
 */
public final class PeftAdapter {
    /** The weights file. */
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** The configuration file. */
    public static final String CONFIG = "adapter_config.json";
    /** balora's side file with the initial adapter state (not read by PEFT). */
    public static final String INITIAL = "balora_initial_adapter.safetensors";

    private static final Logger LOG = LoggerFactory.getLogger(PeftAdapter.class);

    private PeftAdapter() {}

    /**
     * Saves the current adapter state, its configuration and its initial state.
     *
     * @param lora the adapted model
     * @param directory created if needed; files are replaced atomically
     */
    public static void save(LoraModel lora, Path directory) {
        AdapterConfig config = lora.config();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("balora_init", String.valueOf(config.init().peftValue(config.niter())));
        write(directory, PeftConfigJson.toJson(config, Boolean.TRUE, isConv1d(lora.model())),
                AdapterTensors.current(lora), AdapterTensors.initial(lora), meta);
    }

    static boolean isConv1d(PretrainedModel model) {
        return "gpt2".equals(model.modelType());
    }

    /** Writes an adapter directory from its parts; {@code initial} may be null. */
    static void write(Path directory, JsonObject config, TensorSource weights, TensorSource initial,
            Map<String, String> metadata) {
        SafetensorsWriter.write(directory.resolve(WEIGHTS), weights, DType.F32, metadata);
        if (initial != null) {
            Map<String, String> meta = new LinkedHashMap<>(metadata);
            meta.put("balora_role", "initial adapter state (A0, B0, initial heads) for PiSSA-to-LoRA conversion");
            SafetensorsWriter.write(directory.resolve(INITIAL), initial, DType.F32, meta);
        } else {
            try {
                Files.deleteIfExists(directory.resolve(INITIAL));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        AtomicFiles.writeString(directory.resolve(CONFIG), PeftConfigJson.toText(config));
        LOG.info("wrote {}: loads in PEFT {} or later", directory.resolve(CONFIG), PeftConfigJson.oldestPeftVersion(config));
    }

    /**
     * Reads an adapter directory's configuration.
     *
     * @throws CheckpointException naming the file when it is missing or not a LoRA config balora supports
     */
    public static AdapterConfig readConfig(Path directory) {
        Path file = directory.resolve(CONFIG);
        return PeftConfigJson.fromJson(HfCheckpoint.readConfig(file), file);
    }

    /**
     * Attaches a saved adapter to a model (for PiSSA adapters, the residual model they were saved with). The
     * reference state is the saved initial state when {@value #INITIAL} is present, else the loaded factors.
     *
     * @param model the base model; frozen by this call
     * @param directory a PEFT adapter directory
     * @return the adapted model
     * @throws CheckpointException naming file and tensor for missing, extra or misshapen tensors
     */
    public static LoraModel load(PretrainedModel model, Path directory) {
        AdapterConfig config = readConfig(directory);
        Path weightsFile = directory.resolve(WEIGHTS);
        try (SafetensorsFile weights = SafetensorsFile.open(weightsFile)) {
            Set<String> unused = new TreeSet<>(weights.names());
            AdapterInit fromFile = new AdapterInit() {
                @Override
                public Factors create(String path, Linear linear, int rank, double scaling, NDManager manager) {
                    String a = AdapterTensors.key(path, LoraAdapter.A_NAME);
                    String b = AdapterTensors.key(path, LoraAdapter.B_NAME);
                    unused.remove(a);
                    unused.remove(b);
                    return new Factors(weights.load(a, manager, rank, linear.inFeatures()),
                            weights.load(b, manager, linear.outFeatures(), rank));
                }

                @Override
                public boolean writesResidual() {
                    return false;
                }
            };
            LoraModel lora = LoraModel.attach(model, config, fromFile, LoraModel.DEFAULT_ADAPTER);
            for (Linear head : lora.heads().values()) {
                loadInto(head.weight(), head.path(), weights, model.manager(), unused);
                if (head.bias() != null) {
                    loadInto(head.bias(), head.path(), weights, model.manager(), unused);
                }
            }
            if (!unused.isEmpty()) {
                throw new CheckpointException(weightsFile, null, unusedMessage(model, unused));
            }
            lora.resetReference();
            Path initialFile = directory.resolve(INITIAL);
            if (Files.isRegularFile(initialFile)) {
                loadInitial(lora, initialFile);
                if (weights.metadata().getOrDefault("balora_init", "").startsWith("pissa")) {
                    ResidualCheck.warnIfOriginalBase(lora, directory);
                }
            }
            return lora;
        }
    }

    /**
     * Why tensors of the file were not used: modules the model lacks (with the likely cause for a BERT pooler),
     * or modules the config does not target or save.
     */
    static String unusedMessage(PretrainedModel model, Set<String> unused) {
        Set<String> modulePaths = new TreeSet<>();
        for (Layer layer : Layers.all(model)) {
            modulePaths.add(layer.path());
        }
        Set<String> absent = new TreeSet<>();
        Set<String> notTargeted = new TreeSet<>();
        for (String key : unused) {
            String module = modulePath(key);
            (module != null && modulePaths.contains(module) ? notTargeted : absent).add(module == null ? key : module);
        }
        StringBuilder m = new StringBuilder();
        if (!absent.isEmpty()) {
            m.append("holds tensors for modules this ").append(model.modelType()).append(" model does not have: ")
                    .append(absent);
            if (absent.stream().anyMatch(p -> p.equals("pooler.dense") || p.endsWith(".pooler.dense"))
                    && modulePaths.stream().noneMatch(p -> p.endsWith("pooler.dense"))) {
                m.append("; the model has no pooler (its checkpoint holds no pooler weights, as in a "
                        + "sentence-transformers export or an ONNX import, or its classifier head reads the token "
                        + "states instead): load it with the pooler head (--pooling pooler, "
                        + "ClassifierPooling.POOLER) or use an adapter that does not adapt pooler.dense");
            } else {
                m.append(" (was the adapter trained on another architecture or model class?)");
            }
        }
        if (!notTargeted.isEmpty()) {
            m.append(m.length() == 0 ? "holds" : "; it also holds").append(" tensors for modules the config does not target or save: ").append(notTargeted);
        }
        return m.toString();
    }

    /** The module path of an adapter file key ({@code base_model.model.<module>.lora_A.weight}), or null. */
    private static String modulePath(String key) {
        if (!key.startsWith(AdapterTensors.PREFIX)) {
            return null;
        }
        String rest = key.substring(AdapterTensors.PREFIX.length());
        for (String marker : List.of(".lora_A.", ".lora_B.")) {
            int i = rest.indexOf(marker);
            if (i > 0) {
                return rest.substring(0, i);
            }
        }
        int dot = rest.lastIndexOf('.');
        return dot > 0 ? rest.substring(0, dot) : null;
    }

    private static void loadInto(Param param, String path, TensorSource source, NDManager manager, Set<String> unused) {
        String key = AdapterTensors.key(path, param.name());
        NDArray value = source.load(key, manager, param.shape().getShape());
        unused.remove(key);
        param.replace(value);
    }

    private static void loadInitial(LoraModel lora, Path file) {
        NDManager manager = lora.model().manager();
        try (SafetensorsFile initial = SafetensorsFile.open(file)) {
            for (LoraAdapter a : lora.adapters().values()) {
                a.setReference(initial.load(AdapterTensors.key(a.path(), LoraAdapter.A_NAME), manager,
                                a.a().shape().getShape()),
                        initial.load(AdapterTensors.key(a.path(), LoraAdapter.B_NAME), manager,
                                a.b().shape().getShape()));
            }
            for (Linear head : lora.heads().values()) {
                NDArray w = initial.load(AdapterTensors.key(head.path(), "weight"), manager,
                        head.weight().shape().getShape());
                NDArray b = head.bias() == null ? null : initial.load(AdapterTensors.key(head.path(), "bias"), manager,
                        head.bias().shape().getShape());
                head.setReferenceCopy(w, b);
            }
        }
    }
}
