package dev.balora.app;

import dev.balora.recipe.RunLayout;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.adapter.peft.PissaToLora;
import dev.balora.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the adapter to put on an unmodified base model: a PEFT adapter folder, or a finetune output folder (its
 * converted LoRA adapter when there is one). A PiSSA-trained adapter is converted to LoRA first, because its
 * factors apply to the residual model, not to the base weights an evaluation loads.
 */
final class AdapterDirs {

    private AdapterDirs() {}

    /**
     * The adapter folder for the original base model.
     *
     * @param dir an adapter folder or a finetune output folder
     * @param scratch where a conversion may be written
     * @throws IllegalArgumentException when neither kind of folder is found
     */
    static Path forOriginalBase(Path dir, Path scratch) {
        Path adapter = locate(dir);
        if (!needsConversion(adapter)) {
            return adapter;
        }
        Path converted = scratch.resolve("converted-lora");
        PissaToLora.convert(adapter, converted);
        return converted;
    }

    /**
     * The adapter folder inside {@code dir}: {@code dir} itself, else its converted or trained adapter subfolder.
     *
     * @throws IllegalArgumentException when there is none
     */
    static Path locate(Path dir) {
        if (Files.isRegularFile(dir.resolve(PeftAdapter.CONFIG))) {
            return dir;
        }
        for (String sub : new String[] {RunLayout.LORA_ADAPTER, RunLayout.ADAPTER}) {
            if (Files.isRegularFile(dir.resolve(sub).resolve(PeftAdapter.CONFIG))) {
                return dir.resolve(sub);
            }
        }
        throw new IllegalArgumentException("--adapter " + dir + " holds no " + PeftAdapter.CONFIG + " (nor do its "
                + RunLayout.LORA_ADAPTER + "/ or " + RunLayout.ADAPTER + "/ subfolders)");
    }

    private static boolean needsConversion(Path adapter) {
        if (!Files.isRegularFile(adapter.resolve(PeftAdapter.INITIAL))) {
            return false;
        }
        try (SafetensorsFile weights = SafetensorsFile.open(adapter.resolve(PeftAdapter.WEIGHTS))) {
            String init = weights.metadata().getOrDefault("balora_init", "");
            return init.startsWith("pissa");
        }
    }

    /** A scratch folder deleted by the caller. */
    static Path scratch() {
        try {
            return Files.createTempDirectory("balora-eval-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
