/** Causal-LM fine-tuning for the {@link dev.balora.train.Trainer}: the shifted cross-entropy with BA-LoRA's NLG terms. */
package dev.balora.train.lm;
