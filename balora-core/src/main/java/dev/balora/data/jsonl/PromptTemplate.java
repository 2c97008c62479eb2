package dev.balora.data.jsonl;

import java.util.Objects;

/**
 * Turns a question into a prompt by replacing {@value #SLOT} in a template, e.g. {@code "Question: {question}\nAnswer:"}.
 *
 * @param template the template, which must contain {@value #SLOT} exactly once
 */
public record PromptTemplate(String template) {
    /** The placeholder for the question. */
    public static final String SLOT = "{question}";

    /** The GSM8K prompt used when none is given (as in common SFT recipes). */
    public static final PromptTemplate GSM8K = new PromptTemplate("Question: {question}\nAnswer: ");

    /** Validates the template. */
    public PromptTemplate {
        Objects.requireNonNull(template, "template");
        int first = template.indexOf(SLOT);
        if (first < 0 || template.indexOf(SLOT, first + 1) >= 0) {
            throw new IllegalArgumentException("a prompt template must contain " + SLOT + " exactly once, got: "
                    + template);
        }
    }

    /** The prompt for a question. */
    public String apply(String question) {
        return template.replace(SLOT, question);
    }
}
