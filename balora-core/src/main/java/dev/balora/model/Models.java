package dev.balora.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.balora.checkpoint.HfCheckpoint;
import java.nio.file.Path;

/** Loads a Hugging Face model directory with the family its {@code model_type} names. */
public final class Models {

    private Models() {}

    /**
     * Loads a model directory onto a device.
     *
     * @param directory the Hugging Face model directory
     * @param device where the weights go
     * @return the model; the caller closes it
     */
    public static PretrainedModel load(Path directory, Device device) {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(directory)) {
            ModelFamily family = ModelRegistry.family(checkpoint.modelType());
            // The second argument of newBaseManager(Device, String) is an engine name, not a label.
            NDManager manager = NDManager.newBaseManager(device);
            manager.setName("balora-model");
            try {
                return family.load(checkpoint.config(), checkpoint.tensors(), manager);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }

    /** Loads a model directory onto the CPU. */
    public static PretrainedModel load(Path directory) {
        return load(directory, Device.cpu());
    }
}
