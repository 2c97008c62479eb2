/**
 * The Llama decoder family (LLaMA 2/3, Mistral, Qwen2, Gemma, TinyLlama, SmolLM) with Hugging Face tensor names:
 * RMSNorm, rotate-half RoPE, grouped-query attention, gated MLPs, tied or separate {@code lm_head}.
 */
package dev.balora.model.llama;
