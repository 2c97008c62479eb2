package dev.balora.recipe;

import dev.balora.data.BatchSource;
import dev.balora.model.PretrainedModel;
import dev.balora.objective.WeightedObjective;
import dev.balora.train.Evaluation;
import dev.balora.train.TrainingTask;
import java.util.Map;

/**
 * The kind-specific half of a run: the loaded model and data, and how a batch becomes a loss and an evaluation.
 * The recipe owns the rest (adapters, objective, trainer, outputs), so encoders and decoders share one path.
 */
interface TaskSetup extends AutoCloseable {

    /** The loaded model, adapters not yet attached. */
    PretrainedModel model();

    /** The training examples. */
    BatchSource trainData();

    /** Evaluation examples (0 when there is no evaluation set). */
    int evalExamples();

    /** The training task for the model with its adapters attached; {@code objective} may be null. */
    TrainingTask trainingTask(WeightedObjective objective);

    /** The evaluation of the current adapters, or null when there is no evaluation set. */
    Evaluation evaluation();

    /** Kind-specific facts for summary.json ({@code details}). */
    Map<String, Object> details();

    @Override
    void close();
}
