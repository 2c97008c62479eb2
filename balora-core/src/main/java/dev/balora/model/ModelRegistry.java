package dev.balora.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The architecture families balora knows, keyed by Hugging Face {@code model_type}. */
public final class ModelRegistry {
    private static final Map<String, ModelFamily> FAMILIES = new TreeMap<>();

    static {
        for (ModelFamily family : builtIn()) {
            register(family);
        }
    }

    private ModelRegistry() {}

    private static List<ModelFamily> builtIn() {
        List<ModelFamily> families = new ArrayList<>();
        // Families add themselves here: keeps registration explicit and visible in one place.
        families.add(new dev.balora.model.bert.BertFamily());
        families.add(new dev.balora.model.llama.LlamaFamily());
        families.add(new dev.balora.model.gpt2.Gpt2Family());
        return families;
    }

    /** Registers a family for each of its model types (replacing earlier registrations). */
    public static synchronized void register(ModelFamily family) {
        for (String type : family.modelTypes()) {
            FAMILIES.put(type, family);
        }
    }

    /**
     * The family for a {@code model_type}.
     *
     * @throws UnsupportedModelException listing the supported types when there is none
     */
    public static synchronized ModelFamily family(String modelType) {
        ModelFamily family = FAMILIES.get(modelType);
        if (family == null) {
            throw new UnsupportedModelException("model_type '" + modelType + "' is not supported; balora supports "
                    + FAMILIES.keySet());
        }
        return family;
    }

    /** Every supported {@code model_type}, sorted. */
    public static synchronized List<String> supportedTypes() {
        return new ArrayList<>(FAMILIES.keySet());
    }
}
