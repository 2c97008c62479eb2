/**
 * LoRA and PiSSA adapters in the spirit of Hugging Face PEFT: an immutable {@link dev.balora.adapter.AdapterConfig}
 * (PEFT's LoraConfig fields), per-layer {@link dev.balora.adapter.LoraAdapter} state (trainable A, B and frozen
 * initial A0, B0), named init strategies (LoRA, Gaussian, exact and randomized PiSSA) and
 * {@link dev.balora.adapter.LoraModel}, which attaches adapters by module path, freezes the base, keeps trained
 * heads with their initial copies, and merges, unmerges and unloads.
 *
 * <p>The PEFT file format and the PiSSA-to-LoRA conversion live in {@code adapter.peft}.
 */
package dev.balora.adapter;
