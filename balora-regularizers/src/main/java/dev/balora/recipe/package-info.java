/**
 * The fine-tuning recipe: one builder ({@link dev.balora.recipe.FineTune}) that takes a model, a task, a method
 * (LoRA, PiSSA, PiSSA-fast, BA-LoRA with a preset), adapter and optimisation settings and an output folder,
 * validates all of it before any work starts, trains with the core {@code Trainer}, and writes one run layout
 * ({@link dev.balora.recipe.RunLayout}) for encoders and decoders alike. The app, the examples, the notebooks,
 * {@code demo} and {@code bench} call it; nothing else assembles these steps.
 *
 * <p>It lives in this module because it is the one library module that sees both the adapters (balora-core) and
 * the BA-LoRA presets (balora-regularizers).
 */
package dev.balora.recipe;
