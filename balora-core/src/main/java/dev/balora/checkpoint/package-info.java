/**
 * Hugging Face checkpoints: memory-mapped safetensors reading (shards, F16/BF16 widened to F32 in Java),
 * writing, {@code config.json} and {@code tokenizer.json} loading, and errors that name file and tensor.
 */
package dev.balora.checkpoint;
