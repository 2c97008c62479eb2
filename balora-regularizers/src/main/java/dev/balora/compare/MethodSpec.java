package dev.balora.compare;

import dev.balora.recipe.Method;
import dev.balora.recipe.Preset;

/**
 * One contestant of a comparison: a method and, for BA-LoRA, its preset; written {@code lora}, {@code pissa},
 * {@code balora} (the task kind's default preset) or {@code balora:nlu-cyp-jlu-ai-hidden}.
 *
 * @param id the label used in tables, folders and compare.json
 * @param method the method
 * @param preset the preset, or null for the task kind's default (BA-LoRA) or none
 */
public record MethodSpec(String id, Method method, Preset preset) {

    /**
     * Parses {@code METHOD} or {@code METHOD:PRESET}.
     *
     * @throws IllegalArgumentException naming the part that is not known
     */
    public static MethodSpec parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        Method m = Method.parse(colon < 0 ? t : t.substring(0, colon));
        Preset p = colon < 0 ? null : Preset.parse(t.substring(colon + 1));
        if (p != null && !m.regularized()) {
            throw new IllegalArgumentException("'" + text + "': a preset applies to balora only");
        }
        return new MethodSpec(p == null ? m.id() : m.id() + ":" + p.id(), m, p);
    }

    /** A folder name for this contestant ({@code balora:x} becomes {@code balora-x}). */
    public String folderName() {
        return id.replace(':', '-');
    }
}
