/**
 * GPT-2 with Hugging Face tensor names: the language-model head and sequence classification over the last real
 * token. Conv1D weights, stored [in, out], are transposed into the adapter-aware Linear's [out, in] at load.
 */
package dev.balora.model.gpt2;
