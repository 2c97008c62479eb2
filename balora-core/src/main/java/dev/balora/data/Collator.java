package dev.balora.data;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pads encoded examples to the longest one of their batch (optionally rounded up to a multiple) and builds the
 * attention mask, so a batch of short sentences stays short.
 */
public final class Collator {
    private final long padId;
    private final int padToMultipleOf;
    private final LabelType labelType;

    /**
     * Creates a collator.
     *
     * @param padId the tokenizer's padding id (0 for BERT WordPiece vocabularies)
     * @param padToMultipleOf round the padded length up to a multiple of this (1 = no rounding)
     * @param labelType how labels are typed in the batch
     */
    public Collator(long padId, int padToMultipleOf, LabelType labelType) {
        if (padToMultipleOf < 1) {
            throw new IllegalArgumentException("padToMultipleOf must be >= 1, got " + padToMultipleOf);
        }
        this.padId = padId;
        this.padToMultipleOf = padToMultipleOf;
        this.labelType = labelType;
    }

    /**
     * Collates examples into a batch owned by {@code manager}.
     *
     * @param examples the examples, in batch order
     * @param indices their dataset indices, same order
     * @param manager the owner of the new arrays (a per-step sub-manager)
     * @return input_ids, attention_mask, token_type_ids ([B, T], INT64) and labels ([B])
     */
    public Batch collate(List<EncodedExample> examples, int[] indices, NDManager manager) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty batch");
        }
        if (examples.size() != indices.length) {
            throw new IllegalArgumentException(examples.size() + " examples but " + indices.length + " indices");
        }
        int longest = 0;
        for (EncodedExample e : examples) {
            longest = Math.max(longest, e.length());
        }
        int t = (longest + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf;
        int b = examples.size();
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] types = new long[b * t];
        float[] labels = new float[b];
        long tokens = 0;
        for (int i = 0; i < b; i++) {
            EncodedExample e = examples.get(i);
            int n = e.length();
            java.util.Arrays.fill(ids, i * t, (i + 1) * t, padId);
            System.arraycopy(e.inputIds(), 0, ids, i * t, n);
            System.arraycopy(e.tokenTypeIds(), 0, types, i * t, n);
            java.util.Arrays.fill(mask, i * t, i * t + n, 1L);
            labels[i] = e.label();
            tokens += n;
        }
        Shape shape = new Shape(b, t);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put(Batch.INPUT_IDS, EngineArrays.own(manager.create(ids, shape)));
        arrays.put(Batch.ATTENTION_MASK, EngineArrays.own(manager.create(mask, shape)));
        arrays.put(Batch.TOKEN_TYPE_IDS, EngineArrays.own(manager.create(types, shape)));
        NDArray labelArray;
        if (labelType == LabelType.CLASSIFICATION) {
            long[] classes = new long[b];
            for (int i = 0; i < b; i++) {
                classes[i] = (long) labels[i];
            }
            labelArray = EngineArrays.own(manager.create(classes));
        } else {
            labelArray = EngineArrays.own(manager.create(labels));
        }
        arrays.put(Batch.LABELS, labelArray);
        return new Batch(arrays, indices, tokens);
    }
}
