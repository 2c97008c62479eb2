/**
 * Multi-seed method comparison: per-method summaries over seeds with Student's t confidence intervals, paired
 * comparisons against a baseline over the same seeds (paired t-test and a paired percentile bootstrap), and the
 * {@code compare.json}, Markdown table and PNG plot of {@code balora compare}.
 *
 * <p>Everything here is plain Java on {@code double}s; it needs no model and no NDArray. Build a
 * {@link dev.balora.compare.CompareReport} from {@link dev.balora.compare.RunOutcome}s, then write it with
 * {@link dev.balora.compare.CompareJson}, {@link dev.balora.compare.CompareMarkdown} and
 * {@link dev.balora.compare.ComparePlot}.
 */
package dev.balora.compare;
