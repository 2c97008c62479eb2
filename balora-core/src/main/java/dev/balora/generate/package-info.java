/** Text generation over {@link dev.balora.model.CausalLanguageModel}s: greedy and sampled decoding, KV cache. */
package dev.balora.generate;
