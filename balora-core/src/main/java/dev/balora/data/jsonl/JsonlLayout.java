package dev.balora.data.jsonl;

import com.google.gson.JsonObject;

/** The layouts of a prompt/response JSONL line, recognised by their keys. */
public enum JsonlLayout {
    /** {@code {"prompt": "...", "response": "..."}}. */
    PROMPT_RESPONSE("prompt", "response"),
    /** GSM8K: {@code {"question": "...", "answer": "... #### 42"}}; the question goes through a template. */
    GSM8K("question", "answer"),
    /** Pre-tokenized: {@code {"prompt_ids": [1, 5, ...], "response_ids": [...]}}. */
    TOKEN_IDS("prompt_ids", "response_ids");

    private final String promptKey;
    private final String responseKey;

    JsonlLayout(String promptKey, String responseKey) {
        this.promptKey = promptKey;
        this.responseKey = responseKey;
    }

    /** The key of the prompt field. */
    public String promptKey() {
        return promptKey;
    }

    /** The key of the response field. */
    public String responseKey() {
        return responseKey;
    }

    /**
     * The layout whose two keys the object holds.
     *
     * @return the layout, or null when no layout matches
     */
    public static JsonlLayout detect(JsonObject o) {
        for (JsonlLayout l : values()) {
            if (o.has(l.promptKey) && o.has(l.responseKey)) {
                return l;
            }
        }
        return null;
    }
}
