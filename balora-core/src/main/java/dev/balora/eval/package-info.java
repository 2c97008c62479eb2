/** Evaluation metrics (correlations, and later accuracy, F1, MCC) and task evaluations. */
package dev.balora.eval;
