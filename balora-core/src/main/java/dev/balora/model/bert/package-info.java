/**
 * BERT and RoBERTa encoders in the Hugging Face layout: embeddings, post-LayerNorm transformer layers with
 * adapter-aware Linears named by their Hugging Face module paths, mean/CLS pooling, and sequence
 * classification/regression heads.
 */
package dev.balora.model.bert;
