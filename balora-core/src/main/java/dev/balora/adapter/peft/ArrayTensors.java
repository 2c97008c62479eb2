package dev.balora.adapter.peft;

import ai.djl.ndarray.NDArray;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.DType;
import dev.balora.checkpoint.TensorInfo;
import dev.balora.checkpoint.TensorSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link TensorSource} over live NDArrays, read one tensor at a time when written: exporting a model never
 * holds a second full copy of it in the Java heap.
 */
final class ArrayTensors implements TensorSource {
    private final String location;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Map<String, TensorSource> borrowed = new LinkedHashMap<>();
    private final java.util.Set<String> transposed = new java.util.HashSet<>();

    ArrayTensors(String location) {
        this.location = location;
    }

    /** Adds an array under a name (kept by reference, read when written). */
    ArrayTensors put(String name, NDArray array) {
        arrays.put(name, array);
        return this;
    }

    /** Adds a 2-D array to be written transposed (GPT-2's Conv1D stores [in, out]). */
    ArrayTensors putTransposed(String name, NDArray array) {
        arrays.put(name, array);
        transposed.add(name);
        return this;
    }

    /** Adds a tensor read from another source when written. */
    ArrayTensors borrow(String name, TensorSource source) {
        borrowed.put(name, source);
        return this;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(arrays.keySet());
        names.addAll(borrowed.keySet());
        return Collections.unmodifiableSet(names);
    }

    @Override
    public TensorInfo info(String name) {
        NDArray a = arrays.get(name);
        if (a != null) {
            long[] shape = a.getShape().getShape();
            if (transposed.contains(name)) {
                shape = new long[] {shape[1], shape[0]};
            }
            return new TensorInfo(name, DType.F32, shape, 0, 4 * a.getShape().size());
        }
        TensorSource s = borrowed.get(name);
        if (s == null) {
            throw new CheckpointException(location, name, "no such tensor");
        }
        TensorInfo i = s.info(name);
        return new TensorInfo(name, DType.F32, i.shape(), 0, 4 * i.elementCount());
    }

    @Override
    public float[] readFloats(String name) {
        NDArray a = arrays.get(name);
        if (a != null) {
            float[] v = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            if (!transposed.contains(name)) {
                return v;
            }
            // Transposed in Java: the bytes of a transposed engine view would keep the original order.
            int rows = Math.toIntExact(a.getShape().get(0));
            int cols = Math.toIntExact(a.getShape().get(1));
            float[] t = new float[v.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = v[r * cols + c];
                }
            }
            return t;
        }
        info(name);
        return borrowed.get(name).readFloats(name);
    }
}
