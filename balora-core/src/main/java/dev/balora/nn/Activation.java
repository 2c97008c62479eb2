package dev.balora.nn;

import ai.djl.ndarray.NDArray;
import dev.balora.objective.Scalars;
import java.util.Locale;

/**
 * The hidden activations of the supported architectures, chosen by their Hugging Face names.
 *
 * <p>Constants go through {@link Scalars}: DJL's {@code mul(Number)}, {@code pow(Number)} and {@code maximum(Number)}
 * free the scalar they create while autograd still reads it in backward.
 */
public enum Activation {
    /** {@code x * sigmoid(x)} (Llama, Mistral, Qwen2). */
    SILU {
        @Override
        public NDArray apply(NDArray x) {
            return x.mul(ai.djl.nn.Activation.sigmoid(x));
        }
    },
    /** The tanh approximation of GELU (GPT-2's gelu_new, Gemma's gelu_pytorch_tanh). */
    GELU_TANH {
        @Override
        public NDArray apply(NDArray x) {
            NDArray cubic = Scalars.mul(x.pow(Scalars.like(x, 3)), 0.044715f);
            NDArray inner = Scalars.mul(x.add(cubic), (float) Math.sqrt(2.0 / Math.PI));
            return Scalars.mul(x.mul(inner.tanh().add(1f)), 0.5f);
        }
    },
    /** Exact GELU with the error function. */
    GELU {
        @Override
        public NDArray apply(NDArray x) {
            return Scalars.mul(x.mul(Scalars.mul(x, (float) (1.0 / Math.sqrt(2.0))).erf().add(1f)), 0.5f);
        }
    },
    /** {@code max(x, 0)}. */
    RELU {
        @Override
        public NDArray apply(NDArray x) {
            return x.maximum(Scalars.like(x, 0));
        }
    };

    /** Applies the activation elementwise. */
    public abstract NDArray apply(NDArray x);

    /**
     * The activation a Hugging Face {@code hidden_act} / {@code activation_function} name denotes.
     *
     * @throws IllegalArgumentException listing the known names when it is none of them
     */
    public static Activation fromHfName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "silu":
            case "swish":
                return SILU;
            case "gelu_new":
            case "gelu_pytorch_tanh":
            case "gelu_fast":
                return GELU_TANH;
            case "gelu":
                return GELU;
            case "relu":
                return RELU;
            default:
                throw new IllegalArgumentException("activation '" + name + "' is not supported; balora knows silu, "
                        + "swish, gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu");
        }
    }
}
