package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of earlier decoder steps, per layer, so a step only computes its new tokens.
 *
 * <p>The cache owns its arrays through its own sub-manager; close it when generation ends.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys; // per layer [batch, kvHeads, slots, headDim]
    private final NDArray[] values; // per layer [batch, kvHeads, slots, headDim]

    /**
     * Creates an empty cache.
     *
     * @param parent the manager the cache's own sub-manager is created under (decides the device)
     * @param layers number of decoder layers
     */
    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Slots already cached (the same for every layer once a step has completed). */
    public int length() {
        return keys[0] == null ? 0 : (int) keys[0].getShape().get(2);
    }

    /** Number of layers. */
    public int layers() {
        return keys.length;
    }

    /**
     * Appends a step's keys and values to one layer and returns everything cached for it.
     *
     * @param layer the layer index
     * @param k new keys, [batch, kvHeads, tokens, headDim]
     * @param v new values, same shape
     * @return all keys and values of the layer, owned by the cache
     */
    public NDList append(int layer, NDArray k, NDArray v) {
        keys[layer] = grow(keys[layer], k);
        values[layer] = grow(values[layer], v);
        return new NDList(keys[layer], values[layer]);
    }

    private NDArray grow(NDArray old, NDArray add) {
        if (old == null) {
            NDArray copy = add.duplicate();
            copy.attach(manager);
            return copy;
        }
        NDArray grown = old.concat(add, 2);
        grown.attach(manager);
        old.close();
        return grown;
    }

    @Override
    public void close() {
        manager.close();
    }
}
