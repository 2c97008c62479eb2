/**
 * Building blocks of the architectures: a tree of {@link dev.balora.nn.Layer}s with Hugging Face module paths,
 * named parameters, and the adapter-aware {@link dev.balora.nn.Linear} every architecture builds its Linears with.
 *
 * <p>balora keeps its own small module tree instead of DJL blocks: DJL blocks cannot take an adapter after
 * construction and their parameter names are not Hugging Face's. Forward passes are plain functions over
 * NDArrays, so autograd, devices and memory management stay DJL's.
 */
package dev.balora.nn;
