package dev.balora.eval;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GSM8K answer extraction: the number after the last {@code ####}, or else the last number in the text; numbers
 * are compared by value after removing thousands separators (so {@code 1,000}, {@code 1000} and {@code 1000.00}
 * match).
 */
public final class Gsm8kAnswers {
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?|-?\\.\\d+");
    private static final String MARK = "####";

    private Gsm8kAnswers() {}

    /**
     * The answer of a solution text.
     *
     * @param text a reference solution or a generated one
     * @return the answer as a plain decimal string (no separators, no trailing zeros), or null when there is none
     */
    public static String extract(String text) {
        if (text == null) {
            return null;
        }
        int mark = text.lastIndexOf(MARK);
        if (mark >= 0) {
            Matcher m = NUMBER.matcher(text.substring(mark + MARK.length()));
            if (m.find()) {
                return normalize(m.group());
            }
        }
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? null : normalize(last);
    }

    /** Whether a generated text's answer equals the reference's (false when either has none). */
    public static boolean matches(String generated, String reference) {
        String a = extract(generated);
        return a != null && a.equals(extract(reference));
    }

    private static String normalize(String number) {
        String plain = number.replace(",", "");
        if (plain.endsWith(".")) {
            plain = plain.substring(0, plain.length() - 1);
        }
        try {
            BigDecimal d = new BigDecimal(plain).stripTrailingZeros();
            return d.signum() == 0 ? "0" : d.toPlainString();
        } catch (NumberFormatException e) {
            return plain;
        }
    }
}
