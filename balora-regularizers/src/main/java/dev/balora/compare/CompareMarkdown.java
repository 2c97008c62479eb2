package dev.balora.compare;

import dev.balora.checkpoint.AtomicFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Markdown tables of a report: per metric, one row per method with mean +- std, its t interval and n, and for
 * every method but the baseline the paired mean difference with its t and bootstrap intervals and p-value, then a
 * line saying which differences are significant, or plainly that none is.
 */
public final class CompareMarkdown {
    private static final String DASH = "—";

    private CompareMarkdown() {}

    /**
     * The tables, one section per metric, primary first.
     *
     * @param report the report
     * @return Markdown text ending in a newline
     */
    public static String render(CompareReport report) {
        StringBuilder md = new StringBuilder();
        for (MetricComparison m : report.metrics()) {
            if (!md.isEmpty()) {
                md.append('\n');
            }
            section(md, report, m);
        }
        return md.toString();
    }

    /**
     * Writes the tables atomically.
     *
     * @param report the report
     * @param file the Markdown file
     */
    public static void write(CompareReport report, Path file) {
        AtomicFiles.writeString(file, render(report));
    }

    private static void section(StringBuilder md, CompareReport report, MetricComparison m) {
        InferenceSettings inf = report.inference();
        String level = percent(inf.level());
        String alpha = percent(inf.alpha());
        String base = report.baseline();
        int n = report.seeds().size();
        md.append("### ").append(m.metric()).append(" (").append(m.direction().phrase()).append(")\n\n");
        md.append("Seeds ").append(report.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append(" (n = ").append(n).append(" per method). Intervals are ").append(level)
                .append(" %: Student's t with n - 1 degrees of freedom. Δ is the method minus ").append(base)
                .append(" on the same seed; p is a two-sided paired t-test; the bootstrap interval is a paired"
                        + " percentile bootstrap (")
                .append(String.format(Locale.ROOT, "%,d", inf.resamples())).append(" resamples, seed ")
                .append(inf.bootstrapSeed()).append(").\n\n");
        md.append("| method | mean ± std | ").append(level).append(" % CI | n | Δ vs ").append(base).append(" | ")
                .append(level).append(" % CI of Δ (t) | ").append(level)
                .append(" % CI of Δ (bootstrap) | p (paired t) |\n");
        md.append("|---|---:|---|---:|---:|---|---|---:|\n");
        for (Summary s : m.summaries()) {
            boolean isBase = s.method().equals(base);
            md.append("| ").append(s.method()).append(isBase ? " (baseline)" : "").append(" | ");
            md.append(s.spread().map(sp -> fmt(s.mean()) + " ± " + fmt(sp.std())).orElse(fmt(s.mean())));
            md.append(" | ").append(s.spread().map(sp -> interval(sp.ci(), false)).orElse(DASH));
            md.append(" | ").append(s.n()).append(" | ");
            if (isBase) {
                md.append(DASH + " | " + DASH + " | " + DASH + " | " + DASH + " |\n");
                continue;
            }
            PairedComparison c = m.comparison(s.method()).orElseThrow();
            md.append(signed(c.meanDifference())).append(" | ");
            md.append(c.test().map(t -> interval(t.ci(), true)).orElse(DASH)).append(" | ");
            md.append(c.bootstrapCi().map(i -> interval(i, true)).orElse(DASH)).append(" | ");
            md.append(c.test().map(t -> pValue(t.pValue())).orElse(DASH)).append(" |\n");
        }
        md.append('\n').append(verdict(m, base, alpha, n)).append('\n');
    }

    /** The plain-words line under a table. */
    static String verdict(MetricComparison m, String base, String alpha, int n) {
        if (m.comparisons().isEmpty()) {
            return "Only the baseline was run: nothing to compare.";
        }
        if (n < 2) {
            return "One seed per method: no interval and no test; the differences above are single runs, not"
                    + " evidence.";
        }
        List<PairedComparison> sig = m.significant();
        if (sig.isEmpty()) {
            return "No method differs significantly from " + base + " on " + m.metric() + " at the " + alpha
                    + " % level (paired t-test over " + n + " seeds).";
        }
        StringBuilder line = new StringBuilder();
        for (PairedComparison c : sig) {
            boolean better = c.better().map(c.method()::equals).orElse(false);
            line.append(c.method()).append(better ? " is better than " : " is worse than ").append(base)
                    .append(" on ").append(m.metric()).append(" (Δ ").append(signed(c.meanDifference()))
                    .append(", p = ").append(pValue(c.test().orElseThrow().pValue())).append("). ");
        }
        List<String> rest = m.comparisons().stream().filter(c -> !c.significant()).map(PairedComparison::method)
                .toList();
        if (!rest.isEmpty()) {
            line.append("Not significant at ").append(alpha).append(" %: ").append(String.join(", ", rest))
                    .append(". ");
        }
        if (m.comparisons().size() > 1) {
            line.append("p-values are not corrected for multiple comparisons.");
        }
        return line.toString().strip();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }

    static String interval(Interval i, boolean signed) {
        return signed ? "[" + signed(i.lower()) + ", " + signed(i.upper()) + "]"
                : "[" + fmt(i.lower()) + ", " + fmt(i.upper()) + "]";
    }

    static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** 0.95 as {@code 95}, 0.05 as {@code 5}, 0.9 as {@code 90}, 0.975 as {@code 97.5}. */
    static String percent(double fraction) {
        BigDecimal p = BigDecimal.valueOf(fraction).movePointRight(2).setScale(6, java.math.RoundingMode.HALF_UP);
        return p.stripTrailingZeros().toPlainString();
    }
}
