package dev.balora.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.balora.checkpoint.TensorSource;
import dev.balora.nn.Embedding;
import dev.balora.nn.Dropouts;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.LayerNorm;
import dev.balora.nn.Param;
import java.util.List;
import java.util.Map;

/** The {@code embeddings} module: word + position + token-type embeddings, then LayerNorm and dropout. */
public final class BertEmbeddings implements Layer {
    private final String path;
    private final BertConfig config;
    private final Embedding words; // [vocab, hidden]
    private final Embedding positions; // [max_positions, hidden]
    private final Embedding tokenTypes; // [type_vocab, hidden]
    private final LayerNorm norm; // [hidden]

    BertEmbeddings(String path, String source, BertConfig config, TensorSource weights, NDManager manager) {
        this.path = path;
        this.config = config;
        long h = config.hiddenSize();
        words = new Embedding(path + ".word_embeddings",
                weights.load(source + ".word_embeddings.weight", manager, config.vocabSize(), h));
        positions = new Embedding(path + ".position_embeddings",
                weights.load(source + ".position_embeddings.weight", manager, config.maxPositionEmbeddings(), h));
        tokenTypes = new Embedding(path + ".token_type_embeddings",
                weights.load(source + ".token_type_embeddings.weight", manager, config.typeVocabSize(), h));
        norm = BertLayer.norm(path, source, "LayerNorm", h, config.layerNormEps(), weights, manager);
    }

    /** The tensor names this module reads, relative to its checkpoint prefix. */
    static List<String> tensorNames() {
        return List.of("word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight",
                "LayerNorm.weight", "LayerNorm.bias");
    }

    /** An id outside its table would make the engine fail with an unhelpful index error: say which and why. */
    private static void requireRange(NDArray ids, int size, String what, String key) {
        long min = ids.min().getLong();
        long max = ids.max().getLong();
        if (min < 0 || max >= size) {
            throw new IllegalArgumentException(what + "s must lie in [0, " + size + ") (" + key + "), got "
                    + (min < 0 ? min : max));
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return List.of(words, positions, tokenTypes, norm);
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /** The word embedding table. */
    public Embedding words() {
        return words;
    }

    /**
     * Embeds a batch.
     *
     * @param inputIds token ids, [B, T] int64
     * @param tokenTypeIds segment ids, [B, T], or null for all zeros
     * @param ctx training or inference
     * @return [B, T, hidden]
     */
    public NDArray forward(NDArray inputIds, NDArray tokenTypeIds, ForwardContext ctx) {
        long t = inputIds.getShape().get(1);
        if (t > config.maxSequenceLength()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds the " + config.maxSequenceLength()
                    + " positions of " + path + ".position_embeddings");
        }
        NDManager m = inputIds.getManager();
        NDArray ids = inputIds.toType(DataType.INT64, false);
        NDArray positionIds;
        if (config.isRoberta()) {
            // RoBERTa counts only non-padding tokens, starting after the padding id: cumsum(mask) * mask + pad.
            NDArray notPad = ids.neq(config.padTokenId()).toType(DataType.INT64, false);
            positionIds = notPad.cumSum(1).mul(notPad).add(config.padTokenId());
        } else {
            positionIds = m.arange(0, (int) t, 1, DataType.INT64).reshape(new Shape(1, t));
        }
        requireRange(ids, config.vocabSize(), "input id", "vocab_size");
        NDArray types = tokenTypeIds != null ? tokenTypeIds.toType(DataType.INT64, false)
                : m.zeros(ids.getShape(), DataType.INT64);
        if (tokenTypeIds != null) {
            requireRange(types, config.typeVocabSize(), "token type id", "type_vocab_size");
        }
        NDArray sum = words.forward(ids).add(tokenTypes.forward(types)).add(positions.forward(positionIds));
        return Dropouts.apply(norm.forward(sum), config.hiddenDropoutProb(), ctx);
    }
}
