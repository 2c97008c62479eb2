package dev.balora.adapter;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PEFT's ways of naming modules ({@code target_modules}, {@code exclude_modules}): a list of names, each matching
 * a module whose path equals it or ends with {@code "." + name}; a single full-match regular expression; or
 * {@code all-linear}, every Linear but the output heads.
 */
public sealed interface ModuleSelector {

    /** PEFT's shorthand for every Linear but the output head. */
    String ALL_LINEAR = "all-linear";

    /** Whether the module at {@code path} is selected (for {@link AllLinear}: any non-head path). */
    boolean matches(String path);

    /** The value as PEFT writes it in adapter_config.json: a list of names or one string. */
    Object peftValue();

    /** A list of module names. */
    static ModuleSelector names(List<String> names) {
        return new Names(List.copyOf(names));
    }

    /** A full-match regular expression. */
    static ModuleSelector regex(String regex) {
        return new Regex(regex);
    }

    /** Every Linear but the output heads. */
    static ModuleSelector allLinear() {
        return new AllLinear();
    }

    /** Parses PEFT's string form: {@code all-linear}, or else a full-match regular expression. */
    static ModuleSelector parse(String value) {
        return ALL_LINEAR.equals(value) ? allLinear() : regex(value);
    }

    /**
     * Names matched by suffix, as PEFT does for a list.
     *
     * @param names the module names
     */
    record Names(List<String> names) implements ModuleSelector {
        /** Validates the names. */
        public Names {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("a module name list must not be empty");
            }
            for (String n : names) {
                if (Objects.requireNonNull(n, "module name").isBlank()) {
                    throw new IllegalArgumentException("module names must not be blank: " + names);
                }
            }
        }

        @Override
        public boolean matches(String path) {
            for (String n : names) {
                if (matchesName(path, n)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether one name matches a path (equal, or a dotted suffix). */
        public static boolean matchesName(String path, String name) {
            return path.equals(name) || path.endsWith("." + name);
        }

        @Override
        public Object peftValue() {
            return names;
        }
    }

    /**
     * A regular expression that must match the whole module path.
     *
     * @param regex the expression
     */
    record Regex(String regex) implements ModuleSelector {
        /** Validates the expression. */
        public Regex {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("module regex '" + regex + "' is invalid: " + e.getDescription(), e);
            }
        }

        @Override
        public boolean matches(String path) {
            return Pattern.compile(regex).matcher(path).matches();
        }

        @Override
        public Object peftValue() {
            return regex;
        }
    }

    /** Every Linear but the output heads (the head exclusion is applied by the resolver, which knows the model). */
    record AllLinear() implements ModuleSelector {
        @Override
        public boolean matches(String path) {
            return true;
        }

        @Override
        public Object peftValue() {
            return ALL_LINEAR;
        }
    }
}
