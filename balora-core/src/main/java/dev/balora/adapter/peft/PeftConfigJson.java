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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PEFT's {@code adapter_config.json} for a LoRA adapter, written and read field by field. */
public final class PeftConfigJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private PeftConfigJson() {}

    /**
     * The JSON PEFT writes for this configuration (LoraConfig.to_dict's fields, sorted as PEFT sorts them).
     *
     * @param config the configuration
     * @param initLoraWeights the {@code init_lora_weights} value to record: {@code true} for an adapter that applies
     *     to the model it is saved beside (what PEFT loads without re-initialising), or the init's own value
     * @param fanInFanOut whether the base stores weights [in, out] (GPT-2's Conv1D)
     */
    public static JsonObject toJson(AdapterConfig config, Object initLoraWeights, boolean fanInFanOut) {
        Map<String, JsonElement> f = new java.util.TreeMap<>();
        JsonObject alphaPattern = new JsonObject();
        config.alphaPattern().forEach((k, v) -> alphaPattern.add(k, number(v)));
        f.put("alpha_pattern", alphaPattern);
        f.put("auto_mapping", JsonNull.INSTANCE);
        f.put("base_model_name_or_path", config.baseModelNameOrPath() == null ? JsonNull.INSTANCE
                : new JsonPrimitive(config.baseModelNameOrPath()));
        f.put("bias", new JsonPrimitive("none"));
        f.put("exclude_modules", config.exclude() == null ? JsonNull.INSTANCE : GSON.toJsonTree(config.exclude().peftValue()));
        f.put("fan_in_fan_out", new JsonPrimitive(fanInFanOut));
        f.put("inference_mode", new JsonPrimitive(true));
        f.put("init_lora_weights", GSON.toJsonTree(initLoraWeights));
        f.put("layer_replication", JsonNull.INSTANCE);
        f.put("layers_pattern", JsonNull.INSTANCE);
        f.put("layers_to_transform", JsonNull.INSTANCE);
        f.put("loftq_config", new JsonObject());
        f.put("lora_alpha", number(config.alpha()));
        f.put("lora_bias", new JsonPrimitive(false));
        f.put("lora_dropout", new JsonPrimitive(config.dropout()));
        f.put("megatron_config", JsonNull.INSTANCE);
        f.put("megatron_core", new JsonPrimitive("megatron.core"));
        f.put("modules_to_save", config.modulesToSave().isEmpty() ? JsonNull.INSTANCE
                : GSON.toJsonTree(config.modulesToSave()));
        f.put("peft_type", new JsonPrimitive("LORA"));
        f.put("r", new JsonPrimitive(config.rank()));
        JsonObject rankPattern = new JsonObject();
        config.rankPattern().forEach(rankPattern::addProperty);
        f.put("rank_pattern", rankPattern);
        f.put("revision", JsonNull.INSTANCE);
        f.put("target_modules", GSON.toJsonTree(config.targets().peftValue()));
        f.put("task_type", config.taskType() == null ? JsonNull.INSTANCE : new JsonPrimitive(config.taskType()));
        f.put("use_dora", new JsonPrimitive(false));
        f.put("use_rslora", new JsonPrimitive(config.useRslora()));
        JsonObject json = new JsonObject();
        f.forEach(json::add);
        return json;
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
        if (bool(json, "use_dora", file)) {
            throw new CheckpointException(file, null, "use_dora = true: DoRA adapters are not supported");
        }
        String bias = string(json, "bias", file, "none");
        if (!"none".equals(bias)) {
            throw new CheckpointException(file, null, "bias = '" + bias + "': balora supports bias = \"none\" only");
        }
        if (json.has("layers_to_transform") && !json.get("layers_to_transform").isJsonNull()) {
            throw new CheckpointException(file, null, "layers_to_transform is not supported");
        }
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
