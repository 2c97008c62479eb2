/**
 * The BA-LoRA regularizers (arXiv 2408.04556) on the {@link dev.balora.objective.Regularizer} contract of
 * balora-core: {@code nlu} for classification/regression logits [B, C], {@code nlg} for causal-LM logits
 * [B, T, V] with token masks, {@code spectral} for differentiable singular values, and
 * {@link dev.balora.regularizers.BaLoraPresets} with the reference code bases' settings.
 */
package dev.balora.regularizers;
