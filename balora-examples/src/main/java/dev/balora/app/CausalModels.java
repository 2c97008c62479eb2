package dev.balora.app;

import dev.balora.model.CausalLanguageModel;
import dev.balora.model.PretrainedModel;
import java.nio.file.Path;

/** Checks that a loaded model is a causal LM, with a message naming the directory otherwise. */
final class CausalModels {

    private CausalModels() {}

    static CausalLanguageModel require(PretrainedModel model, Path dir) {
        if (model instanceof CausalLanguageModel lm) {
            return lm;
        }
        throw new IllegalArgumentException(dir + " holds a " + model.modelType() + " model without a language-model "
                + "head (" + model.getClass().getSimpleName() + "); this command needs a causal LM");
    }
}
