package dev.balora.adapter.peft;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.balora.adapter.AdapterConfig;
import dev.balora.adapter.InitMethod;
import dev.balora.adapter.ModuleSelector;
import dev.balora.checkpoint.CheckpointException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter, written and read field by field.
 *
 * <p>PEFT before 0.14 refuses a config that holds any key its {@code LoraConfig} does not know
 * ({@code unexpected keyword argument}); 0.14 and later drop unknown keys with a warning. So balora writes the
 * keys every PEFT release since 0.3.0 knows, and a newer key only when its value differs from PEFT's default,
 * which is when the adapter needs that PEFT feature anyway. {@link #oldestPeftVersion} says which release a
 * written file needs. The oldest PEFT release whose {@code LoraConfig} (with its {@code PeftConfig} base) has each
 * key, read from PEFT's tagged sources:
 *
 * <table>
 * <caption>adapter_config.json keys</caption>
 * <tr><th>key</th><th>oldest PEFT</th><th>balora writes it</th></tr>
 * <tr><td>peft_type, task_type, r, lora_alpha, lora_dropout, target_modules, bias, fan_in_fan_out,
 *     modules_to_save, base_model_name_or_path, inference_mode</td><td>0.1.0</td><td>always</td></tr>
 * <tr><td>init_lora_weights</td><td>0.3.0</td><td>always ({@code true})</td></tr>
 * <tr><td>layers_to_transform, layers_pattern (one name)</td><td>0.4.0</td><td>when set</td></tr>
 * <tr><td>layers_pattern as a list</td><td>0.6.0</td><td>when it holds several names</td></tr>
 * <tr><td>rank_pattern, alpha_pattern</td><td>0.6.0</td><td>when not empty</td></tr>
 * <tr><td>use_rslora</td><td>0.8.0</td><td>when true</td></tr>
 * <tr><td>exclude_modules</td><td>0.14.0</td><td>when set</td></tr>
 * <tr><td>auto_mapping, revision</td><td>0.4.0</td><td>never (null)</td></tr>
 * <tr><td>loftq_config, megatron_config, megatron_core</td><td>0.7.0</td><td>never (defaults)</td></tr>
 * <tr><td>use_dora</td><td>0.9.0</td><td>never (false)</td></tr>
 * <tr><td>layer_replication</td><td>0.10.0</td><td>never (null)</td></tr>
 * <tr><td>lora_bias</td><td>0.14.0</td><td>never (false)</td></tr>
 * </table>
 *
 * <p>Values can need a newer release than their key: {@code target_modules = "all-linear"} needs 0.8.0 and
 * {@code task_type = "FEATURE_EXTRACTION"} 0.4.0. The reader accepts every key of the newer releases and refuses
 * the features that change what the saved tensors mean ({@code use_dora}, {@code lora_bias},
 * {@code layer_replication}, {@code trainable_token_indices}, {@code use_qalora}, {@code target_parameters},
 * {@code alora_invocation_tokens}) when they are not at their defaults.
 */
public final class PeftConfigJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    /** The oldest PEFT release whose LoraConfig knows each key balora may write (see the class comment). */
    public static final Map<String, String> OLDEST_PEFT_BY_KEY = oldestByKey();

    private PeftConfigJson() {}

    private static Map<String, String> oldestByKey() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : List.of("peft_type", "task_type", "r", "lora_alpha", "lora_dropout", "target_modules", "bias",
                "fan_in_fan_out", "modules_to_save", "base_model_name_or_path", "inference_mode")) {
            m.put(k, "0.1.0");
        }
        m.put("init_lora_weights", "0.3.0");
        m.put("layers_to_transform", "0.4.0");
        m.put("layers_pattern", "0.4.0");
        m.put("rank_pattern", "0.6.0");
        m.put("alpha_pattern", "0.6.0");
        m.put("use_rslora", "0.8.0");
        m.put("exclude_modules", "0.14.0");
        return Collections.unmodifiableMap(m);
    }

    /**
     * The JSON balora writes for this configuration: PEFT's LoraConfig fields, sorted as PEFT sorts them, with the
     * keys newer than PEFT 0.3.0 left out where they hold PEFT's default (see the class comment).
     *
     * @param config the configuration
     * @param initLoraWeights the {@code init_lora_weights} value to record: {@code true} for an adapter that applies
     *     to the model it is saved beside (what PEFT loads without re-initialising), or the init's own value
     * @param fanInFanOut whether the base stores weights [in, out] (GPT-2's Conv1D)
     */
    public static JsonObject toJson(AdapterConfig config, Object initLoraWeights, boolean fanInFanOut) {
        Map<String, JsonElement> f = new TreeMap<>();
        if (!config.alphaPattern().isEmpty()) {
            JsonObject alphaPattern = new JsonObject();
            config.alphaPattern().forEach((k, v) -> alphaPattern.add(k, number(v)));
            f.put("alpha_pattern", alphaPattern);
        }
        f.put("base_model_name_or_path", config.baseModelNameOrPath() == null ? JsonNull.INSTANCE
                : new JsonPrimitive(config.baseModelNameOrPath()));
        f.put("bias", new JsonPrimitive("none"));
        if (config.exclude() != null) {
            f.put("exclude_modules", GSON.toJsonTree(config.exclude().peftValue()));
        }
        f.put("fan_in_fan_out", new JsonPrimitive(fanInFanOut));
        f.put("inference_mode", new JsonPrimitive(true));
        f.put("init_lora_weights", GSON.toJsonTree(initLoraWeights));
        if (!config.layersToTransform().isEmpty()) {
            f.put("layers_to_transform", GSON.toJsonTree(config.layersToTransform()));
        }
        if (!config.layersPattern().isEmpty()) {
            // One name as a string: PEFT 0.4 and 0.5 read only that form.
            f.put("layers_pattern", config.layersPattern().size() == 1 ? new JsonPrimitive(config.layersPattern().get(0))
                    : GSON.toJsonTree(config.layersPattern()));
        }
        f.put("lora_alpha", number(config.alpha()));
        f.put("lora_dropout", new JsonPrimitive(config.dropout()));
        f.put("modules_to_save", config.modulesToSave().isEmpty() ? JsonNull.INSTANCE
                : GSON.toJsonTree(config.modulesToSave()));
        f.put("peft_type", new JsonPrimitive("LORA"));
        f.put("r", new JsonPrimitive(config.rank()));
        if (!config.rankPattern().isEmpty()) {
            JsonObject rankPattern = new JsonObject();
            config.rankPattern().forEach(rankPattern::addProperty);
            f.put("rank_pattern", rankPattern);
        }
        f.put("target_modules", GSON.toJsonTree(config.targets().peftValue()));
        f.put("task_type", config.taskType() == null ? JsonNull.INSTANCE : new JsonPrimitive(config.taskType()));
        if (config.useRslora()) {
            f.put("use_rslora", new JsonPrimitive(true));
        }
        JsonObject json = new JsonObject();
        f.forEach(json::add);
        return json;
    }

    /**
     * The oldest PEFT release that loads this adapter_config.json, by its keys (PEFT before 0.14 refuses unknown
     * ones) and by the values that need a newer release ({@code "all-linear"}: 0.8.0; {@code FEATURE_EXTRACTION}:
     * 0.4.0; a list of layers_pattern names: 0.6.0).
     *
     * @param json a config as {@link #toJson} writes it
     * @return a version such as {@code "0.3.0"}
     * @throws IllegalArgumentException for a key balora does not know the history of
     */
    public static String oldestPeftVersion(JsonObject json) {
        String oldest = "0.1.0";
        for (String key : json.keySet()) {
            String v = OLDEST_PEFT_BY_KEY.get(key);
            if (v == null) {
                throw new IllegalArgumentException("no PEFT version known for adapter_config.json key '" + key + "'");
            }
            oldest = later(oldest, v);
        }
        JsonElement targets = json.get("target_modules");
        if (targets != null && targets.isJsonPrimitive() && ModuleSelector.ALL_LINEAR.equals(targets.getAsString())) {
            oldest = later(oldest, "0.8.0");
        }
        JsonElement task = json.get("task_type");
        if (task != null && task.isJsonPrimitive() && "FEATURE_EXTRACTION".equals(task.getAsString())) {
            oldest = later(oldest, "0.4.0");
        }
        JsonElement layersPattern = json.get("layers_pattern");
        if (layersPattern != null && layersPattern.isJsonArray()) {
            oldest = later(oldest, "0.6.0");
        }
        return oldest;
    }

    /** The later of two dotted versions. */
    static String later(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return p > q ? a : b;
            }
        }
        return a;
    }

    /** Pretty-printed JSON text. */
    public static String toText(JsonObject json) {
        return GSON.toJson(json) + "\n";
    }

    /** PEFT writes integral alphas as integers. */
    private static JsonPrimitive number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? new JsonPrimitive((long) v) : new JsonPrimitive(v);
    }

    /**
     * Reads an adapter_config.json into a configuration. {@code init_lora_weights} is kept as information only:
     * loading never re-initialises.
     *
     * @param json the parsed file
     * @param file the file, for messages
     * @throws CheckpointException naming the file and field when it is not a LoRA config balora can load
     */
    public static AdapterConfig fromJson(JsonObject json, Path file) {
        String peftType = string(json, "peft_type", file, "LORA");
        if (!"LORA".equals(peftType)) {
            throw new CheckpointException(file, null, "peft_type is '" + peftType + "'; balora loads LORA adapters");
        }
        String bias = string(json, "bias", file, "none");
        if (!"none".equals(bias)) {
            throw new CheckpointException(file, null, "bias = '" + bias + "': balora supports bias = \"none\" only");
        }
        refuseUnsupported(json, file);
        try {
            AdapterConfig.Builder b = AdapterConfig.builder()
                    .setTargets(selector(json.get("target_modules"), file, "target_modules"))
                    .optRank(json.get("r").getAsInt())
                    .optAlpha(json.get("lora_alpha").getAsDouble())
                    .optDropout(json.has("lora_dropout") ? json.get("lora_dropout").getAsDouble() : 0)
                    .optUseRslora(bool(json, "use_rslora", file))
                    .optInit(initMethod(json.get("init_lora_weights")))
                    .optNiter(niter(json.get("init_lora_weights")));
            if (json.has("exclude_modules") && !json.get("exclude_modules").isJsonNull()) {
                b.optExclude(selector(json.get("exclude_modules"), file, "exclude_modules"));
            }
            if (json.has("layers_to_transform") && !json.get("layers_to_transform").isJsonNull()) {
                b.optLayersToTransform(integers(json.get("layers_to_transform"), file, "layers_to_transform"));
            }
            if (json.has("layers_pattern") && !json.get("layers_pattern").isJsonNull()) {
                b.optLayersPattern(strings(json.get("layers_pattern")));
            }
            if (json.has("modules_to_save") && !json.get("modules_to_save").isJsonNull()) {
                b.optModulesToSave(strings(json.get("modules_to_save")));
            }
            if (json.has("rank_pattern") && json.get("rank_pattern").isJsonObject()) {
                Map<String, Integer> rp = new LinkedHashMap<>();
                json.getAsJsonObject("rank_pattern").entrySet().forEach(e -> rp.put(e.getKey(), e.getValue().getAsInt()));
                b.optRankPattern(rp);
            }
            if (json.has("alpha_pattern") && json.get("alpha_pattern").isJsonObject()) {
                Map<String, Double> ap = new LinkedHashMap<>();
                json.getAsJsonObject("alpha_pattern").entrySet()
                        .forEach(e -> ap.put(e.getKey(), e.getValue().getAsDouble()));
                b.optAlphaPattern(ap);
            }
            if (json.has("task_type") && !json.get("task_type").isJsonNull()) {
                b.optTaskType(json.get("task_type").getAsString());
            }
            if (json.has("base_model_name_or_path") && !json.get("base_model_name_or_path").isJsonNull()) {
                b.optBaseModelNameOrPath(json.get("base_model_name_or_path").getAsString());
            }
            return b.build();
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(file, null, "not a usable LoRA adapter config: " + e.getMessage(), e);
        }
    }

    /** Newer PEFT features that change what the saved tensors mean: refused unless at their defaults. */
    private static void refuseUnsupported(JsonObject json, Path file) {
        if (bool(json, "use_dora", file)) {
            throw new CheckpointException(file, null, "use_dora = true: DoRA adapters are not supported");
        }
        if (bool(json, "lora_bias", file)) {
            throw new CheckpointException(file, null, "lora_bias = true (PEFT 0.14): LoRA adapters with a bias on "
                    + "lora_B are not supported");
        }
        if (bool(json, "use_qalora", file)) {
            throw new CheckpointException(file, null, "use_qalora = true (PEFT 0.16): QALoRA adapters are not "
                    + "supported");
        }
        for (String key : List.of("layer_replication", "trainable_token_indices", "target_parameters",
                "alora_invocation_tokens")) {
            JsonElement e = json.get(key);
            boolean unset = e == null || e.isJsonNull() || (e.isJsonArray() && e.getAsJsonArray().isEmpty())
                    || (e.isJsonObject() && e.getAsJsonObject().isEmpty());
            if (!unset) {
                throw new CheckpointException(file, null, key + " = " + e + " is not supported (balora loads "
                        + "adapters of Linear modules whose structure the base model keeps)");
            }
        }
    }

    private static List<Integer> integers(JsonElement e, Path file, String field) {
        List<Integer> out = new ArrayList<>();
        for (JsonElement x : e.isJsonArray() ? e.getAsJsonArray() : List.of(e)) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()
                    || x.getAsDouble() != Math.rint(x.getAsDouble())) {
                throw new CheckpointException(file, null, field + " must be a layer index or a list of them, got "
                        + e);
            }
            out.add(x.getAsInt());
        }
        return out;
    }

    private static ModuleSelector selector(JsonElement e, Path file, String field) {
        if (e == null || e.isJsonNull()) {
            throw new CheckpointException(file, null, field + " is missing");
        }
        if (e.isJsonPrimitive()) {
            return ModuleSelector.parse(e.getAsString());
        }
        return ModuleSelector.names(strings(e));
    }

    private static List<String> strings(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e.isJsonArray()) {
            for (JsonElement x : (JsonArray) e) {
                out.add(x.getAsString());
            }
        } else {
            out.add(e.getAsString());
        }
        return out;
    }

    private static InitMethod initMethod(JsonElement e) {
        if (e == null || e.isJsonNull() || (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean())) {
            return e != null && !e.isJsonNull() && !e.getAsBoolean() ? InitMethod.GAUSSIAN : InitMethod.LORA;
        }
        String s = e.getAsString();
        if (s.equals("gaussian")) {
            return InitMethod.GAUSSIAN;
        }
        if (s.equals("pissa")) {
            return InitMethod.PISSA;
        }
        if (s.startsWith("pissa_niter_")) {
            return InitMethod.PISSA_FAST;
        }
        // Other PEFT inits (olora, loftq, eva...) only matter at creation; the saved factors are what count.
        return InitMethod.LORA;
    }

    private static int niter(JsonElement e) {
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
                && e.getAsString().startsWith("pissa_niter_")) {
            return Integer.parseInt(e.getAsString().substring("pissa_niter_".length()));
        }
        return 4;
    }

    private static String string(JsonObject json, String key, Path file, String fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        return e.getAsString();
    }

    private static boolean bool(JsonObject json, String key, Path file) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new CheckpointException(file, null, key + " must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }
}
