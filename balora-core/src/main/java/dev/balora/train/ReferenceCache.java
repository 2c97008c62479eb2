package dev.balora.train;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps each training example's reference outputs (logits or pooled states of the frozen reference pass) across
 * epochs, on the Java heap, up to a byte budget.
 *
 * <p>The reference pass runs without dropout on frozen weights, so an example's reference outputs never change and
 * the second and later epochs can skip that forward pass. Rows are stored in host memory (not as engine arrays,
 * which would outlive the per-step scope and grow native memory). Once the budget is full no more rows are
 * added and none are evicted: every example is visited once per epoch, so evicting would only trade one miss for
 * another. With a budget of B bytes and rows of R floats, the first B / (4 R) examples seen are cached.
 */
public final class ReferenceCache {
    private final long maxBytes;
    private final Map<Integer, float[]> rows = new HashMap<>();
    private long[] rowShape;
    private long bytes;
    private long hits;
    private long misses;

    /**
     * Creates a cache.
     *
     * @param maxBytes the most bytes of rows to keep (e.g. 256 MiB); 0 disables caching
     */
    public ReferenceCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The cached rows of a whole batch, stacked in batch order, or null when any is missing.
     *
     * @param indices dataset indices of the batch
     * @param manager the owner of the returned array
     */
    public NDArray get(int[] indices, NDManager manager) {
        if (rowShape == null) {
            misses += indices.length;
            return null;
        }
        int rowSize = (int) new Shape(rowShape).size();
        float[] out = new float[indices.length * rowSize];
        for (int i = 0; i < indices.length; i++) {
            float[] row = rows.get(indices[i]);
            if (row == null) {
                misses += indices.length;
                return null;
            }
            System.arraycopy(row, 0, out, i * rowSize, rowSize);
        }
        hits += indices.length;
        long[] shape = new long[rowShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return EngineArrays.own(manager.create(out, new Shape(shape)));
    }

    /**
     * Stores the rows of a batch while the budget allows.
     *
     * @param indices dataset indices of the batch
     * @param values [B, ...] reference outputs, row i belonging to {@code indices[i]}
     */
    public void put(int[] indices, NDArray values) {
        Shape shape = values.getShape();
        if (shape.dimension() < 1 || shape.get(0) != indices.length) {
            throw new IllegalArgumentException("reference outputs of shape " + shape + " do not have one row per "
                    + "example of a batch of " + indices.length);
        }
        long[] row = shape.slice(1).getShape();
        if (rowShape == null) {
            rowShape = row;
        } else if (!java.util.Arrays.equals(rowShape, row)) {
            throw new IllegalArgumentException("reference rows of shape " + java.util.Arrays.toString(row)
                    + " differ from the cached ones " + java.util.Arrays.toString(rowShape)
                    + " (per-token outputs of varying length cannot be cached row-wise)");
        }
        int rowSize = (int) new Shape(row).size();
        long rowBytes = 4L * rowSize;
        if (bytes + rowBytes > maxBytes) {
            return;
        }
        float[] all = values.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < indices.length && bytes + rowBytes <= maxBytes; i++) {
            if (rows.putIfAbsent(indices[i], java.util.Arrays.copyOfRange(all, i * rowSize, (i + 1) * rowSize))
                    == null) {
                bytes += rowBytes;
            }
        }
    }

    /** Bytes held. */
    public long bytes() {
        return bytes;
    }

    /** Examples whose rows were served from the cache. */
    public long hits() {
        return hits;
    }

    /** Examples looked up and not (all) found. */
    public long misses() {
        return misses;
    }

    /** Number of cached examples. */
    public int size() {
        return rows.size();
    }
}
