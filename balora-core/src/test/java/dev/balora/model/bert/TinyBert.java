package dev.balora.model.bert;

import com.google.gson.JsonObject;
import dev.balora.checkpoint.InMemoryTensors;
import java.util.Random;

/** A tiny deterministic BERT checkpoint (hidden 8, 2 heads, 2 layers, vocab 30) for fast tests. */
final class TinyBert {
    static final int HIDDEN = 8;
    static final int VOCAB = 30;

    private TinyBert() {}

    static JsonObject config(String modelType, int numLabels) {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", modelType);
        c.addProperty("vocab_size", VOCAB);
        c.addProperty("hidden_size", HIDDEN);
        c.addProperty("num_hidden_layers", 2);
        c.addProperty("num_attention_heads", 2);
        c.addProperty("intermediate_size", 16);
        c.addProperty("max_position_embeddings", 40);
        c.addProperty("type_vocab_size", modelType.equals("roberta") ? 1 : 2);
        c.addProperty("num_labels", numLabels);
        return c;
    }

    /** Encoder weights under {@code prefix} (e.g. "" or "bert."). */
    static InMemoryTensors weights(BertConfig config, String prefix, long seed) {
        Random r = new Random(seed);
        InMemoryTensors t = new InMemoryTensors("tiny-bert");
        for (String name : BertModel.requiredTensorNames(config, prefix)) {
            long[] shape = shapeOf(config, name.substring(prefix.length()));
            int n = 1;
            for (long d : shape) {
                n *= (int) d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = name.endsWith("LayerNorm.weight") ? 1f + 0.1f * (float) r.nextGaussian()
                        : 0.3f * (float) r.nextGaussian();
            }
            t.put(name, shape, v);
        }
        return t;
    }

    private static long[] shapeOf(BertConfig c, String name) {
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        if (name.startsWith("embeddings.word_embeddings")) {
            return new long[] {c.vocabSize(), h};
        }
        if (name.startsWith("embeddings.position_embeddings")) {
            return new long[] {c.maxPositionEmbeddings(), h};
        }
        if (name.startsWith("embeddings.token_type_embeddings")) {
            return new long[] {c.typeVocabSize(), h};
        }
        boolean weight = name.endsWith(".weight") && !name.contains("LayerNorm");
        if (name.contains("intermediate.dense")) {
            return weight ? new long[] {i, h} : new long[] {i};
        }
        if (name.contains(".output.dense") && !name.contains("attention")) {
            return weight ? new long[] {h, i} : new long[] {h};
        }
        return weight ? new long[] {h, h} : new long[] {h};
    }
}
