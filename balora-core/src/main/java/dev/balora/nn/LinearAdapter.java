package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * What an adapter attached to a {@link Linear} must do: add its low-rank update to the layer's output.
 *
 * <p>Implemented by the {@code adapter} package (LoRA/PiSSA); the Linear only knows this contract.
 */
public interface LinearAdapter {

    /**
     * The adapter's contribution to the output for input {@code x} ([..., in] → [..., out]).
     *
     * @param x the Linear's input
     * @param context training/reference mode; in reference mode the frozen initial state is used
     * @return the update to add to {@code x W^T + b}
     */
    NDArray delta(NDArray x, ForwardContext context);

    /** The adapter's parameters by local name, e.g. {@code lora_A.weight}. */
    Map<String, Param> parameters();
}
