/**
 * Readers for the official GLUE TSV files (CoLA, SST-2, MRPC, QQP, STS-B, MNLI, QNLI, RTE, WNLI).
 *
 * <p>Fields are split on tabs only (GLUE sentences contain unbalanced quotes, so no CSV quoting). Columns are
 * found by header name where a file has a header; bad rows are reported with file and line and either skipped
 * or fatal, by {@link dev.balora.data.glue.BadRowPolicy}.
 */
package dev.balora.data.glue;
