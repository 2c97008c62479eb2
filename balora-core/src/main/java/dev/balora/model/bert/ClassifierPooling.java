package dev.balora.model.bert;

import java.util.Locale;

/**
 * What a sequence classifier's head reads from the encoder: Hugging Face's pooler, or a sentence-transformers
 * style pooling of the last hidden states.
 *
 * <p>Sentence-transformers checkpoints (all-MiniLM-L6-v2, bge, ...) ship without a trained pooler and were trained
 * on mean-pooled token states, so {@link #AUTO} reads the mean there instead of a pooler initialised at random.
 */
public enum ClassifierPooling {
    /** {@link #POOLER} when the checkpoint holds a trained pooler (or is RoBERTa), else {@link #MEAN}. */
    AUTO,
    /**
     * Hugging Face's head: BERT {@code tanh(pooler.dense(h[:, 0]))}, initialised from the seed when the checkpoint
     * lacks it; RoBERTa {@code classifier.dense} on the first token.
     */
    POOLER,
    /** The mean of the non-padding tokens' last hidden states (no pooler). */
    MEAN,
    /** The first token's last hidden state (no pooler). */
    CLS;

    /**
     * The concrete pooling for a checkpoint.
     *
     * @param hasTrainedPooler whether the checkpoint holds {@code pooler.dense}
     * @param roberta whether the head is RoBERTa's (which pools the first token itself)
     * @return never {@link #AUTO}
     */
    public ClassifierPooling resolve(boolean hasTrainedPooler, boolean roberta) {
        if (this != AUTO) {
            return this;
        }
        return hasTrainedPooler || roberta ? POOLER : MEAN;
    }

    /** The token pooling that feeds the head, or null for BERT's own pooler. */
    Pooling tokenPooling(boolean roberta) {
        return switch (this) {
            case MEAN -> Pooling.MEAN;
            case CLS -> Pooling.CLS;
            case POOLER -> roberta ? Pooling.CLS : null;
            case AUTO -> throw new IllegalStateException("resolve AUTO first");
        };
    }

    /**
     * Parses {@code auto}, {@code pooler}, {@code mean} or {@code cls} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ClassifierPooling parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown classifier pooling '" + name + "'; use auto, pooler, mean "
                    + "or cls", e);
        }
    }
}
