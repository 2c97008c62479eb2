/**
 * Hugging Face checkpoints: memory-mapped safetensors reading (shards, F16/BF16 widened to F32 in Java),
 * writing, {@code config.json} and {@code tokenizer.json} loading, tracking of unused tensors, and errors that
 * name file and tensor.
 *
 * <p>Architectures open a directory with {@link dev.balora.checkpoint.HfCheckpoint#open}, read their config
 * through {@link dev.balora.checkpoint.ConfigReader}, check {@link dev.balora.checkpoint.TensorSource#requireAll},
 * load each weight with its expected shape through a {@link dev.balora.checkpoint.TensorUsage} tracker, and call
 * {@link dev.balora.checkpoint.TensorUsage#logUnused} at the end.
 */
package dev.balora.checkpoint;
