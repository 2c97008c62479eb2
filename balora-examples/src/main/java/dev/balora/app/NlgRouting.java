package dev.balora.app;

import java.util.Arrays;

/**
 * Sends {@code balora eval --gsm8k ...} and {@code balora eval --data FILE.jsonl} to {@link NlgEval}, so causal-LM
 * evaluation uses the same command name as GLUE evaluation. ({@code finetune} needs no routing: one command serves
 * both kinds.)
 */
final class NlgRouting {

    private NlgRouting() {}

    static String[] route(String[] args) {
        if (args.length == 0) {
            return args;
        }
        String[] out = args.clone();
        if ("eval".equals(args[0]) && (has(args, "--gsm8k") || jsonlData(args))) {
            out[0] = "eval-nlg";
        }
        return out;
    }

    private static boolean has(String[] args, String option) {
        return Arrays.stream(args).anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
    }

    private static boolean jsonlData(String[] args) {
        for (int i = 1; i < args.length; i++) {
            String value = args[i].startsWith("--data=") ? args[i].substring(7)
                    : args[i].equals("--data") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null && value.endsWith(".jsonl")) {
                return true;
            }
        }
        return false;
    }
}
