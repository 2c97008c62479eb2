package dev.balora.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A {@link TensorSource} over FP32 arrays held in memory (imported graphs, tests, exports). */
public final class InMemoryTensors implements TensorSource {
    private final String location;
    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();

    /**
     * Creates an empty collection.
     *
     * @param location where these tensors came from, for error messages
     */
    public InMemoryTensors(String location) {
        this.location = location;
    }

    /**
     * Adds (or replaces) one tensor.
     *
     * @param name the tensor name
     * @param shape its shape
     * @param values row-major values; the array is kept, not copied
     * @return this
     */
    public InMemoryTensors put(String name, long[] shape, float[] values) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new CheckpointException(location, name, "negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != values.length) {
            throw new CheckpointException(location, name, "shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but " + values.length + " values were given");
        }
        data.put(name, values);
        infos.put(name, new TensorInfo(name, DType.F32, shape.clone(), 0, 4L * values.length));
        return this;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(infos.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = infos.get(name);
        if (info == null) {
            throw new CheckpointException(location, name, "no such tensor");
        }
        return info;
    }

    @Override
    public float[] readFloats(String name) {
        info(name);
        return data.get(name);
    }
}
