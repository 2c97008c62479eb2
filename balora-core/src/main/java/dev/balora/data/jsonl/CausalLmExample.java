package dev.balora.data.jsonl;

/**
 * A tokenized prompt/response pair ready for causal-LM training: the tokens, and the labels the shifted
 * cross-entropy predicts (the token itself on response positions, {@value #IGNORE} on prompt positions).
 *
 * @param inputIds prompt then response (then EOS) token ids
 * @param labels same length; {@value #IGNORE} where the position is not a target (unshifted, Hugging Face style)
 * @param promptLength how many leading tokens are the prompt
 */
public record CausalLmExample(long[] inputIds, long[] labels, int promptLength) {
    /** The label of positions that do not count (PyTorch's ignore_index). */
    public static final int IGNORE = -100;

    /** Validates lengths. */
    public CausalLmExample {
        if (inputIds.length != labels.length) {
            throw new IllegalArgumentException(inputIds.length + " input ids but " + labels.length + " labels");
        }
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("an example needs at least one token");
        }
        if (promptLength < 0 || promptLength > inputIds.length) {
            throw new IllegalArgumentException("prompt length " + promptLength + " outside [0, " + inputIds.length + "]");
        }
    }

    /** Number of tokens. */
    public int length() {
        return inputIds.length;
    }

    /** Number of target (response) tokens. */
    public int targets() {
        int n = 0;
        for (long l : labels) {
            n += l == IGNORE ? 0 : 1;
        }
        return n;
    }
}
