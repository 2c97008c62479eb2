package dev.balora.recipe;

import java.util.Arrays;
import java.util.List;

/** Small checks the recipe's settings share. */
final class Recipes {

    private Recipes() {}

    /** Throws an {@link IllegalArgumentException} with the message unless the condition holds. */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The non-blank, trimmed items of a comma-separated list. */
    static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
