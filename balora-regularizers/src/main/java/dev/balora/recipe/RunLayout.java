package dev.balora.recipe;

import java.nio.file.Path;

/**
 * The one folder layout of a fine-tuning run, for every task kind:
 *
 * <pre>
 * run.json          every resolved setting, versions, the model's config hash ({@link RunFile})
 * metrics.jsonl     one line per optimizer step: loss, each term raw and weighted, lr, grad norm, seconds, tokens/s
 * eval.jsonl        one line per evaluation (step 0 = before training)
 * loss-curve.png    losses, regularizer terms and evaluation metrics against the step
 * checkpoints/      atomic checkpoints of the trainable state, for --resume
 * adapter/          the PEFT adapter as trained (for PiSSA inits: on the residual model, with its initial factors)
 * adapter-lora/     PiSSA-initialised runs: the same update as a plain LoRA adapter for the original base model
 * summary.json      the outcome, with the same keys for every kind ({@link FineTuneResult#toJson})
 * </pre>
 *
 * @param dir the run's output folder
 */
public record RunLayout(Path dir) {
    /** The settings file. */
    public static final String RUN = "run.json";
    /** The per-step log. */
    public static final String METRICS = "metrics.jsonl";
    /** The evaluation log. */
    public static final String EVALS = "eval.jsonl";
    /** The plot. */
    public static final String LOSS_CURVE = "loss-curve.png";
    /** The checkpoints folder. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The trained adapter's folder. */
    public static final String ADAPTER = "adapter";
    /** The converted (PiSSA to LoRA) adapter's folder. */
    public static final String LORA_ADAPTER = "adapter-lora";
    /** The outcome. */
    public static final String SUMMARY = "summary.json";

    /** {@value #RUN}. */
    public Path runFile() {
        return dir.resolve(RUN);
    }

    /** {@value #METRICS}. */
    public Path metrics() {
        return dir.resolve(METRICS);
    }

    /** {@value #EVALS}. */
    public Path evals() {
        return dir.resolve(EVALS);
    }

    /** {@value #LOSS_CURVE}. */
    public Path lossCurve() {
        return dir.resolve(LOSS_CURVE);
    }

    /** {@value #CHECKPOINTS}/. */
    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    /** {@value #ADAPTER}/. */
    public Path adapter() {
        return dir.resolve(ADAPTER);
    }

    /** {@value #LORA_ADAPTER}/. */
    public Path loraAdapter() {
        return dir.resolve(LORA_ADAPTER);
    }

    /** {@value #SUMMARY}. */
    public Path summary() {
        return dir.resolve(SUMMARY);
    }
}
