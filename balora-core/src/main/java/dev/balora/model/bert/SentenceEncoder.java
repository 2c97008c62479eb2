package dev.balora.model.bert;

import dev.balora.nn.EngineArrays;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.checkpoint.Tokenizers;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.ForwardContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns sentences into embeddings with a BERT encoder and its {@code tokenizer.json}: tokenize, pad, pool. */
public final class SentenceEncoder implements AutoCloseable {
    private final PretrainedModel owner;
    private final BertModel model;
    private final HuggingFaceTokenizer tokenizer;
    private int batchSize = 32;

    private SentenceEncoder(PretrainedModel owner, BertModel model, HuggingFaceTokenizer tokenizer) {
        this.owner = owner;
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * Opens a Hugging Face model directory holding a BERT/RoBERTa checkpoint and its {@code tokenizer.json}.
     *
     * @param directory the model directory
     * @param device where the weights go
     * @throws CheckpointException when the directory is not a BERT checkpoint or lacks a tokenizer
     */
    public static SentenceEncoder open(Path directory, Device device) {
        Path tokenizerFile = directory.resolve(HfCheckpoint.TOKENIZER);
        if (!tokenizerFile.toFile().isFile()) {
            throw new CheckpointException(tokenizerFile, null, "tokenizer file is missing; an encoder needs it");
        }
        PretrainedModel loaded = Models.load(directory, device);
        BertModel encoder;
        if (loaded instanceof BertModel bert) {
            encoder = bert;
        } else if (loaded instanceof BertForSequenceClassification cls) {
            encoder = cls.encoder();
        } else {
            loaded.close();
            throw new CheckpointException(directory, null, "model_type '" + loaded.modelType()
                    + "' is not a BERT encoder; sentence embeddings need bert or roberta");
        }
        try {
            return new SentenceEncoder(loaded, encoder, tokenizer(tokenizerFile, encoder.config()));
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** Wraps an already loaded encoder (not closed by this encoder) and a tokenizer file. */
    public static SentenceEncoder of(BertModel model, Path tokenizerFile) {
        return new SentenceEncoder(null, model, tokenizer(tokenizerFile, model.config()));
    }

    /**
     * A tokenizer for an encoder: special tokens added, no padding (batches are padded here), truncation at the
     * encoder's longest input.
     */
    public static HuggingFaceTokenizer tokenizer(Path tokenizerFile, BertConfig config) {
        return Tokenizers.builder().setFile(tokenizerFile).optMaxLength(config.maxSequenceLength()).build();
    }

    /** Sets how many sentences go through the model at once (default 32). */
    public SentenceEncoder batchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** The encoder. */
    public BertModel model() {
        return model;
    }

    /**
     * Token ids and mask of a batch, right-padded with the configuration's {@code pad_token_id}.
     *
     * @return a pair of [B, T] int64 arrays (ids, mask) owned by {@code manager}
     */
    public NDArray[] encode(List<String> texts, NDManager manager) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int t = 1;
        for (Encoding e : encodings) {
            t = Math.max(t, e.getIds().length);
        }
        long[] ids = new long[texts.size() * t];
        long[] mask = new long[texts.size() * t];
        java.util.Arrays.fill(ids, model.config().padTokenId());
        for (int b = 0; b < encodings.length; b++) {
            long[] tokens = encodings[b].getIds();
            System.arraycopy(tokens, 0, ids, b * t, tokens.length);
            java.util.Arrays.fill(mask, b * t, b * t + tokens.length, 1L);
        }
        Shape shape = new Shape(texts.size(), t);
        return new NDArray[] {EngineArrays.own(manager.create(ids, shape)), EngineArrays.own(manager.create(mask, shape))};
    }

    /**
     * Embeds sentences (not normalised), in batches of similar length.
     *
     * @return one vector per sentence, in input order
     */
    public float[][] embed(List<String> texts, Pooling pooling) {
        float[][] out = new float[texts.size()][];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            order.add(i);
        }
        // Sorting by length keeps padding, and so wasted work, small.
        order.sort(Comparator.comparingInt(i -> texts.get(i).length()));
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> idx = order.subList(start, Math.min(order.size(), start + batchSize));
            List<String> batch = new ArrayList<>();
            idx.forEach(i -> batch.add(texts.get(i)));
            try (NDManager step = model.manager().newSubManager()) {
                NDArray[] enc = encode(batch, step);
                NDArray pooled = model.embed(enc[0], enc[1], pooling, ForwardContext.INFERENCE);
                float[] flat = pooled.toFloatArray();
                int h = (int) pooled.getShape().get(1);
                for (int j = 0; j < idx.size(); j++) {
                    out[idx.get(j)] = java.util.Arrays.copyOfRange(flat, j * h, (j + 1) * h);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
        if (owner != null) {
            owner.close();
        }
    }
}
