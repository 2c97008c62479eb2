package dev.balora.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/** How a sentence embedding is made from the hidden states of its tokens. */
public enum Pooling {
    /** Average over the non-padding tokens (sentence-transformers' mean pooling). */
    MEAN {
        @Override
        public NDArray apply(NDArray hidden, NDArray attentionMask) {
            NDArray m = attentionMask.toType(DataType.FLOAT32, false).expandDims(-1); // [B, T, 1]
            NDArray summed = hidden.mul(m).sum(new int[] {1});
            NDArray counts = m.sum(new int[] {1}).maximum(1e-9f);
            return summed.div(counts);
        }
    },
    /** The hidden state of the first token ([CLS] / &lt;s&gt;). */
    CLS {
        @Override
        public NDArray apply(NDArray hidden, NDArray attentionMask) {
            return hidden.get(new NDIndex(":, 0, :"));
        }
    };

    /**
     * Pools a batch.
     *
     * @param hidden last hidden states, [B, T, hidden]
     * @param attentionMask 1 for tokens, 0 for padding, [B, T]
     * @return [B, hidden]
     */
    public abstract NDArray apply(NDArray hidden, NDArray attentionMask);

    /**
     * Parses {@code mean} or {@code cls} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Pooling parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown pooling '" + name + "'; use mean or cls", e);
        }
    }
}
