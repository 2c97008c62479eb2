package dev.balora.checkpoint;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Named tensors from somewhere (safetensors files, an imported ONNX graph, memory), delivered as FP32.
 *
 * <p>This is the weight-loader interface every architecture loads through; names are Hugging Face's.
 */
public interface TensorSource extends AutoCloseable {

    /** Where the tensors come from, for error messages (a file or directory path). */
    String location();

    /** All tensor names, in a stable order. */
    Set<String> names();

    /**
     * The entry of one tensor.
     *
     * @throws CheckpointException when the tensor is absent
     */
    TensorInfo info(String name);

    /**
     * Reads one tensor widened to FP32, row-major.
     *
     * @throws CheckpointException when the tensor is absent or unreadable
     */
    float[] readFloats(String name);

    /** Whether a tensor of that name exists. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * Loads one tensor as an FP32 NDArray owned by {@code manager}.
     *
     * @param name the tensor name
     * @param manager the owner of the new array
     * @return an FP32 array of the stored shape
     */
    default NDArray load(String name, NDManager manager) {
        TensorInfo info = info(name);
        return EngineArrays.own(manager.create(readFloats(name), new Shape(info.shape())));
    }

    /**
     * Loads one tensor and checks its shape against what the model's configuration implies.
     *
     * @throws CheckpointException naming the tensor and both shapes when they differ
     */
    default NDArray load(String name, NDManager manager, long... expectedShape) {
        TensorInfo info = info(name);
        if (!Arrays.equals(info.shape(), expectedShape)) {
            throw new CheckpointException(location(), name, "shape " + info.shapeText()
                    + " does not match the configuration, which implies " + Arrays.toString(expectedShape));
        }
        return load(name, manager);
    }

    /**
     * Checks that every required tensor is present, listing all missing ones in one error.
     *
     * @throws CheckpointException listing every missing name
     */
    default void requireAll(Collection<String> required) {
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            if (!contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            // A few present names make a prefix mismatch ("bert." or "model.") obvious at a glance.
            List<String> present = new ArrayList<>();
            for (String name : names()) {
                if (present.size() == 3) {
                    break;
                }
                present.add(name);
            }
            throw new CheckpointException(location(), null, missing.size() + " tensor(s) the model needs are missing: "
                    + missing + "; the checkpoint holds " + names().size() + " tensor(s)"
                    + (present.isEmpty() ? "" : ", for example " + present));
        }
    }

    @Override
    default void close() {}
}
