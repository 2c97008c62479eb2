package dev.balora.recipe;

import dev.balora.regularizers.nlg.MaskAlignment;

/**
 * Every setting of one fine-tuning run, as the recipe resolved it: no value is left to a default that could change
 * between versions. Written to {@code run.json} ({@link RunFile}) so {@code --resume}, {@code eval} and
 * {@code compare} read back exactly what the run used.
 *
 * @param model a model directory or an embedded model name
 * @param device cpu, gpu or gpu:N
 * @param kind classification or causal-lm
 * @param method lora, pissa, pissa-fast or balora
 * @param preset the BA-LoRA preset (null unless the method is regularized)
 * @param alignment an override of an NLG preset's mask alignment (null = the preset's)
 * @param evalBeforeTraining evaluate once before the first step (step 0 in eval.jsonl)
 * @param referenceCacheMib classification with BA-LoRA: MiB of reference outputs kept across epochs (null for
 *     causal LM)
 * @param task the data
 * @param adapter the adapters
 * @param optimization the optimizer, schedule, budget and seed
 */
public record RecipeSettings(String model, String device, String kind, String method, String preset,
        String alignment, boolean evalBeforeTraining, Integer referenceCacheMib, TaskSettings task, AdapterSettings adapter,
        OptimizationSettings optimization) {

    /** The task kind. */
    public TaskKind taskKind() {
        return TaskKind.parse(kind);
    }

    /** The method. */
    public Method methodEnum() {
        return Method.parse(method);
    }

    /** The preset, or null for an unregularized method. */
    public Preset presetEnum() {
        return preset == null ? null : Preset.parse(preset);
    }

    /** The mask alignment override, or null. */
    public MaskAlignment alignmentEnum() {
        return alignment == null ? null : MaskAlignment.valueOf(alignment);
    }

    /** The run's seed. */
    public long seed() {
        return optimization.seed();
    }
}
