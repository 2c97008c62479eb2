/**
 * Hugging Face PEFT's adapter format: {@code adapter_model.safetensors} with PEFT's key names and
 * {@code adapter_config.json}; the residual-model export; and the PiSSA-to-LoRA conversion (rank 2r) that makes an
 * adapter trained on the residual apply to the original base model.
 */
package dev.balora.adapter.peft;
