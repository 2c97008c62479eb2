package dev.balora.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.TensorSource;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Infers a BERT {@code config.json} from an exported graph: sizes from the weights, and what weights do not
 * carry (heads, LayerNorm epsilon, activation) from the graph's constants and operators.
 */
final class BertGraphConfig {
    private static final Logger LOG = LoggerFactory.getLogger(BertGraphConfig.class);
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
    private static final Pattern QKV_BIAS = Pattern.compile("attention\\.self\\.(query|key|value)\\.bias$");

    private BertGraphConfig() {}

    static JsonObject infer(OnnxGraph graph, TensorSource tensors) {
        String loc = graph.location();
        long[] words = shape(tensors, "embeddings.word_embeddings.weight", loc);
        long[] positions = shape(tensors, "embeddings.position_embeddings.weight", loc);
        long[] types = shape(tensors, "embeddings.token_type_embeddings.weight", loc);
        int hidden = (int) words[1];
        Set<Integer> layers = new TreeSet<>();
        for (String name : tensors.names()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty()) {
            throw new CheckpointException(loc, null, "not a BERT export: no encoder.layer.N tensors");
        }
        int numLayers = layers.stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
        long[] inter = shape(tensors, "encoder.layer.0.intermediate.dense.bias", loc);
        int heads = heads(graph, hidden);
        JsonObject c = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("BertModel");
        c.add("architectures", arch);
        c.addProperty("model_type", "bert");
        c.addProperty("vocab_size", words[0]);
        c.addProperty("hidden_size", hidden);
        c.addProperty("num_hidden_layers", numLayers);
        c.addProperty("num_attention_heads", heads);
        c.addProperty("intermediate_size", inter[0]);
        c.addProperty("hidden_act", activation(graph));
        c.addProperty("hidden_dropout_prob", 0.1);
        c.addProperty("attention_probs_dropout_prob", 0.1);
        c.addProperty("max_position_embeddings", positions[0]);
        c.addProperty("type_vocab_size", types[0]);
        c.addProperty("layer_norm_eps", layerNormEps(graph));
        c.addProperty("initializer_range", 0.02);
        c.addProperty("pad_token_id", 0);
        c.addProperty("position_embedding_type", "absolute");
        return c;
    }

    private static long[] shape(TensorSource tensors, String name, String loc) {
        if (!tensors.contains(name)) {
            throw new CheckpointException(loc, name, "not found: this graph is not a PyTorch export of a "
                    + "Hugging Face BertModel");
        }
        return tensors.info(name).shape();
    }

    /**
     * Heads from the Reshape that splits query/key/value into [batch, tokens, heads, head_dim]; when no such
     * constant is found, head_dim 64 is assumed (BERT's convention) except for width 384, where MiniLM-style
     * models use 12 heads of 32.
     */
    static int heads(OnnxGraph graph, int hidden) {
        Set<Long> found = new TreeSet<>();
        for (OnnxNode node : graph.nodes()) {
            if (!node.opType().equals("Reshape") || !splitsProjection(graph, node.input(0))) {
                continue;
            }
            Long h = headsOf(graph, node.input(1), hidden);
            if (h != null) {
                found.add(h);
            }
        }
        if (found.size() > 1) {
            throw new CheckpointException(graph.location(), null, "attention heads differ between layers: " + found);
        }
        if (found.size() == 1) {
            return found.iterator().next().intValue();
        }
        int fallback = hidden == 384 ? 12 : hidden % 64 == 0 ? hidden / 64 : Math.max(1, hidden / 32);
        LOG.warn("{}: no head count in the graph's Reshape constants; assuming {} heads for hidden size {}",
                graph.location(), fallback, hidden);
        return fallback;
    }

    /** Whether a value is the output of the bias Add of a query/key/value projection. */
    private static boolean splitsProjection(OnnxGraph graph, String value) {
        OnnxNode add = graph.producer(value);
        if (add == null || !add.opType().equals("Add")) {
            return false;
        }
        return add.inputs().stream().anyMatch(in -> QKV_BIAS.matcher(in).find());
    }

    /** The head count of a 4-D target shape: a constant shape, or a Concat of [batch, tokens, heads, dim]. */
    private static Long headsOf(OnnxGraph graph, String shapeValue, int hidden) {
        OnnxTensor constant = graph.constant(shapeValue);
        if (constant != null && constant.longs() != null && constant.longs().length == 4) {
            long h = constant.longs()[2];
            long d = constant.longs()[3];
            return h > 0 && h * d == hidden ? h : null;
        }
        OnnxNode concat = graph.producer(shapeValue);
        if (concat == null || !concat.opType().equals("Concat") || concat.inputs().size() != 4) {
            return null;
        }
        Double h = scalar(graph.constant(concat.input(2)));
        Double d = scalar(graph.constant(concat.input(3)));
        if (h == null || d == null || h <= 0 || h * d != hidden) {
            return null;
        }
        return h.longValue();
    }

    private static Double scalar(OnnxTensor t) {
        return t == null ? null : t.scalar();
    }

    /** Exact GELU exports as Erf, the tanh approximation as Tanh. */
    private static String activation(OnnxGraph graph) {
        if (graph.count("Erf") > 0) {
            return "gelu";
        }
        if (graph.count("Tanh") > 0) {
            return "gelu_new";
        }
        if (graph.count("Relu") > 0) {
            return "relu";
        }
        LOG.warn("{}: no Erf, Tanh or Relu in the graph; assuming exact gelu", graph.location());
        return "gelu";
    }

    /** The epsilon the exported LayerNorm adds to the variance before Sqrt (1e-12 when not found). */
    static double layerNormEps(OnnxGraph graph) {
        for (OnnxNode node : graph.nodes()) {
            if (!node.opType().equals("Sqrt")) {
                continue;
            }
            OnnxNode add = graph.producer(node.input(0));
            if (add == null || !add.opType().equals("Add")) {
                continue;
            }
            for (String in : add.inputs()) {
                OnnxTensor t = graph.constant(in);
                if (t != null && t.isFloating() && t.scalar() != null) {
                    return t.scalar();
                }
            }
        }
        return 1e-12;
    }
}
