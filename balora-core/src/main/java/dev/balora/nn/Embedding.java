package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A lookup table mapping ids to rows of its {@code weight}. */
public final class Embedding implements Layer {
    private final String path;
    private final Param weight; // [num, dim]

    /**
     * Creates a frozen embedding from a loaded table.
     *
     * @param path the Hugging Face module path, e.g. {@code embeddings.word_embeddings}
     * @param weight the table, [num, dim]
     */
    public Embedding(String path, NDArray weight) {
        this.path = Objects.requireNonNull(path);
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException(path + ".weight must be 2-D [num, dim], got " + weight.getShape());
        }
        this.weight = new Param("weight", weight, false);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of();
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of("weight", weight);
    }

    /** The table, [num, dim]. */
    public Param weight() {
        return weight;
    }

    /** Number of rows. */
    public long size() {
        return weight.shape().get(0);
    }

    /**
     * Looks ids up.
     *
     * @param ids integer ids of any shape, each in [0, num)
     * @return [..., dim]
     */
    public NDArray forward(NDArray ids) {
        NDArray idx = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        return idx.getNDArrayInternal().embedding(idx, weight.array(), SparseFormat.DENSE).singletonOrThrow();
    }
}
