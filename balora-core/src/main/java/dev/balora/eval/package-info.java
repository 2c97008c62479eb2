/**
 * Evaluation metrics (accuracy, F1, Matthews correlation; Pearson and Spearman in {@code Correlation}) and the
 * official metric choice of each GLUE task.
 */
package dev.balora.eval;
