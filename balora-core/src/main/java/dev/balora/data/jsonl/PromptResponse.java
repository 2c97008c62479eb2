package dev.balora.data.jsonl;

import java.util.Objects;

/**
 * One prompt/response pair as read from a file: text (to tokenize) or token ids (already tokenized), never both.
 *
 * @param prompt the prompt text, or null for token ids
 * @param response the response text, or null for token ids
 * @param promptIds the prompt ids, or null for text
 * @param responseIds the response ids, or null for text
 * @param source where it was read ({@code file:line}), for messages
 */
public record PromptResponse(String prompt, String response, long[] promptIds, long[] responseIds, String source) {

    /** Checks that exactly one of text and ids is given. */
    public PromptResponse {
        Objects.requireNonNull(source, "source");
        boolean text = prompt != null && response != null;
        boolean ids = promptIds != null && responseIds != null;
        if (text == ids) {
            throw new IllegalArgumentException(source + ": give either prompt and response text or prompt and "
                    + "response ids");
        }
    }

    /** A text pair. */
    public static PromptResponse text(String prompt, String response, String source) {
        return new PromptResponse(prompt, response, null, null, source);
    }

    /** A pre-tokenized pair. */
    public static PromptResponse ids(long[] promptIds, long[] responseIds, String source) {
        return new PromptResponse(null, null, promptIds.clone(), responseIds.clone(), source);
    }

    /** Whether this pair is already tokenized. */
    public boolean tokenized() {
        return promptIds != null;
    }
}
