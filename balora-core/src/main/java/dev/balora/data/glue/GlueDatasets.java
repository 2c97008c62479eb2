package dev.balora.data.glue;

import dev.balora.data.BatchOrder;
import dev.balora.data.Collator;
import dev.balora.data.EncodedDataset;
import dev.balora.data.Example;
import dev.balora.data.TextEncoder;
import java.nio.file.Path;
import java.util.List;

/** Reads, tokenizes and wraps a GLUE file as a dataset ready for training or evaluation. */
public final class GlueDatasets {
    /** Batches per length-sorting window of training plans. */
    public static final int BUCKET_BATCHES = 50;

    private GlueDatasets() {}

    /**
     * Loads one GLUE file.
     *
     * @param task the task (layout, labels)
     * @param file the TSV file
     * @param encoder the tokenizer wrapper (truncation to its maximum length)
     * @param policy what to do with bad rows
     * @param order {@link BatchOrder#BUCKETED} for training, {@link BatchOrder#SORTED} for evaluation
     * @param limit keep only the first {@code limit} examples (0 or less = all), for quick runs
     * @return the dataset, padded with id 0 (BERT WordPiece's [PAD])
     */
    public static EncodedDataset load(GlueTask task, Path file, TextEncoder encoder, BadRowPolicy policy,
            BatchOrder order, int limit) {
        GlueData data = new GlueReader(task, policy).read(file);
        List<Example> examples = data.examples();
        if (limit > 0 && limit < examples.size()) {
            examples = examples.subList(0, limit);
        }
        return new EncodedDataset(encoder.encodeAll(examples), new Collator(0, 1, task.labelType()), order,
                BUCKET_BATCHES);
    }
}
