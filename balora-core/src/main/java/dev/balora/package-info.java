/**
 * balora: BA-LoRA and PiSSA parameter-efficient fine-tuning on DJL.
 *
 * <p>The data path runs down the packages: {@code checkpoint} (files) → {@code model} (architectures
 * built from {@code nn} layers) → {@code adapter} → {@code objective} → {@code train}.
 */
package dev.balora;
