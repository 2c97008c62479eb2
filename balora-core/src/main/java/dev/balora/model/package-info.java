/**
 * The model contract shared by every architecture family, and the registry that maps a Hugging Face
 * {@code model_type} to its family. Families live in sub-packages ({@code model.bert}, {@code model.llama},
 * {@code model.gpt2}).
 */
package dev.balora.model;
