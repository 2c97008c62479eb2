package dev.balora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.balora.checkpoint.TensorSource;
import dev.balora.nn.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Restores a run from a {@link TrainingCheckpoint}: trainable parameters, AdamW moments and the trainer state. */
final class Resume {

    private Resume() {}

    /**
     * Overwrites the trainable parameters and the optimizer moments with a checkpoint's, in place.
     *
     * @param checkpoint the checkpoint folder
     * @param totalSteps steps of this run (must equal the checkpoint's)
     * @param seed the seed of this run (must equal the checkpoint's)
     * @param trainable the trainable parameters by state-dict key
     * @param optimizer the optimizer to restore
     * @param manager a manager on the model's device, for temporaries
     * @return the saved trainer state
     * @throws IllegalArgumentException when the checkpoint belongs to another schedule or lacks a parameter
     */
    static TrainerState restore(Path checkpoint, int totalSteps, long seed, Map<String, Param> trainable,
            AdamW optimizer, NDManager manager) {
        TrainerState s = TrainingCheckpoint.readState(checkpoint);
        if (s.totalSteps() != totalSteps || s.seed() != seed) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was made for " + s.totalSteps()
                    + " steps with seed " + s.seed() + "; this run has " + totalSteps + " steps with seed " + seed
                    + ": an exact resume needs the same schedule, data and seed");
        }
        try (TensorSource params = TrainingCheckpoint.openTrainable(checkpoint);
                TensorSource moments = TrainingCheckpoint.openOptimizer(checkpoint);
                NDManager tmp = manager.newSubManager()) {
            List<String> missing = new ArrayList<>();
            for (String key : trainable.keySet()) {
                if (!params.contains(key)) {
                    missing.add(key);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " lacks trainable parameter(s) "
                        + missing + "; it holds " + params.names());
            }
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (Map.Entry<String, Param> e : trainable.entrySet()) {
                NDArray target = e.getValue().array();
                NDArray loaded = params.load(e.getKey(), tmp, target.getShape().getShape())
                        .toDevice(target.getDevice(), false);
                if (loaded.getDataType() != target.getDataType()) {
                    loaded = loaded.toType(target.getDataType(), false);
                }
                // Overwritten in place (gradients are off here), so layers holding this array keep it; set() and
                // not muli(0).addi(loaded), which keeps a NaN or infinity already in the buffer (NaN * 0 = NaN).
                target.set(new NDIndex("..."), loaded);
                arrays.put(e.getKey(), target);
            }
            optimizer.restore(moments, s.updates(), arrays);
        }
        return s;
    }
}
