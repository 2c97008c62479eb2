package dev.balora.adapter;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The module paths closest to a name or pattern that matched nothing, for error messages ("did you mean"). */
final class NearestPaths {
    private static final int SHOWN = 3;

    private NearestPaths() {}

    /**
     * The few paths nearest to {@code query} by edit distance, closest first; for a plain name the distance is taken
     * to each path's last segment, so that {@code qproj} finds {@code model.layers.0.self_attn.q_proj}.
     */
    static List<String> to(String query, Collection<String> paths) {
        boolean name = query.indexOf('.') < 0;
        return paths.stream().sorted(Comparator.<String>comparingInt(p -> distance(query,
                name ? p.substring(p.lastIndexOf('.') + 1) : p)).thenComparing(Comparator.naturalOrder()))
                .limit(SHOWN).toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
