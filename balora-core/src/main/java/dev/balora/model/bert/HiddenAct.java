package dev.balora.model.bert;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;

/** The feed-forward activations of Hugging Face encoders, by their {@code hidden_act} names. */
public enum HiddenAct {
    /** Exact GELU, {@code x/2 (1 + erf(x/sqrt 2))}: Hugging Face's {@code gelu}. */
    GELU("gelu") {
        @Override
        public NDArray apply(NDArray x) {
            // Spelled out with erf so it equals the exported graph's Erf arithmetic, not an approximation.
            return x.mul(0.5f).mul(x.div((float) Math.sqrt(2.0)).erf().add(1f));
        }
    },
    /** Tanh approximation of GELU: {@code gelu_new}, {@code gelu_pytorch_tanh}, {@code gelu_fast}. */
    GELU_TANH("gelu_new", "gelu_pytorch_tanh", "gelu_fast") {
        @Override
        public NDArray apply(NDArray x) {
            NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2.0 / Math.PI));
            return x.mul(0.5f).mul(inner.tanh().add(1f));
        }
    },
    /** Rectified linear unit. */
    RELU("relu") {
        @Override
        public NDArray apply(NDArray x) {
            return x.maximum(0f);
        }
    },
    /** SiLU / swish, {@code x sigmoid(x)}. */
    SILU("silu", "swish") {
        @Override
        public NDArray apply(NDArray x) {
            return x.mul(x.getNDArrayInternal().sigmoid());
        }
    };

    private final String[] names;

    HiddenAct(String... names) {
        this.names = names;
    }

    /** The Hugging Face names this activation answers to; the first is canonical. */
    public String[] names() {
        return names.clone();
    }

    /** Applies the activation element-wise. */
    public abstract NDArray apply(NDArray x);

    /**
     * The activation for a {@code hidden_act} value.
     *
     * @return the activation, or null when unknown
     */
    public static HiddenAct parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (HiddenAct act : values()) {
            if (Arrays.asList(act.names).contains(n)) {
                return act;
            }
        }
        return null;
    }
}
