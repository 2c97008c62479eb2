/**
 * Import of PyTorch-exported BERT ONNX files: a protobuf wire-format reader (no generated classes), recovery of
 * the Hugging Face names of the anonymous MatMul weights, and inference of the configuration from the graph.
 */
package dev.balora.onnx;
