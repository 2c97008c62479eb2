/**
 * NLG regularizers on causal-LM logits z [B, T, V] (method.md section 4): KL consistency with the reference pass
 * at a temperature, entropy diversity (full vocabulary or top-K renormalised), and the top-k singular-value ratio
 * of the valid-token logits; plus which token positions count ({@link dev.balora.regularizers.nlg.TokenSelection}).
 */
package dev.balora.regularizers.nlg;
