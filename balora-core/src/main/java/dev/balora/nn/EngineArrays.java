package dev.balora.nn;

import ai.djl.ndarray.NDArray;

/**
 * Turns arrays created from Java data into engine-owned arrays.
 *
 * <p>DJL's PyTorch engine wraps the direct buffer behind {@code NDManager.create(float[]/long[]/Buffer...)}
 * without copying it; the buffer lives only as long as the Java wrapper object. A view of such an array, or the
 * autograd graph that saved it for backward, can then outlive the buffer and read freed memory (observed as a
 * SIGSEGV inside {@code backward()} and as garbage in a view after the source was closed and collected). Every
 * array balora builds from host data that may enter a computation goes through {@link #own(NDArray)}.
 */
public final class EngineArrays {

    private EngineArrays() {}

    /**
     * Copies a host-backed array into memory owned by the engine and closes the host-backed wrapper.
     *
     * @param hostBacked an array just created from Java data (any dtype); closed by this call
     * @return an engine-owned copy attached to the same manager, same name, dtype, shape and device
     */
    public static NDArray own(NDArray hostBacked) {
        NDArray owned = hostBacked.duplicate();
        String name = hostBacked.getName();
        if (name != null) {
            owned.setName(name);
        }
        hostBacked.close();
        return owned;
    }
}
