package dev.balora.data;

/**
 * An example after tokenization, without padding.
 *
 * @param inputIds the token ids, special tokens included
 * @param tokenTypeIds the segment ids (0 for the first sentence, 1 for the second)
 * @param label the class id or regression target
 */
public record EncodedExample(long[] inputIds, long[] tokenTypeIds, float label) {

    /** Checks that ids and type ids have the same length. */
    public EncodedExample {
        if (inputIds.length != tokenTypeIds.length) {
            throw new IllegalArgumentException("inputIds has " + inputIds.length + " tokens but tokenTypeIds has "
                    + tokenTypeIds.length);
        }
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("an encoded example needs at least one token");
        }
    }

    /** Number of tokens. */
    public int length() {
        return inputIds.length;
    }
}
