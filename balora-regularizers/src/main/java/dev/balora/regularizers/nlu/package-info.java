/**
 * NLU regularizers on logits z [B, C] (method.md section 3): consistency of L2-normalised outputs with the
 * reference pass, covariance diversity over the batch, and the top-k singular-value ratio.
 */
package dev.balora.regularizers.nlu;
