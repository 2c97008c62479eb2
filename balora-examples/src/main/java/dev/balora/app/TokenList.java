package dev.balora.app;

import java.util.Arrays;

/** Parses a comma-separated token id list such as {@code 1,77,401}. */
final class TokenList {

    private TokenList() {}

    static int[] parse(String option, String text) {
        if (text == null || text.isBlank()) {
            return new int[0];
        }
        try {
            return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be comma-separated integers, got '" + text + "'");
        }
    }
}
