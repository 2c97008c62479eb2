package dev.balora.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.checkpoint.TensorSource;
import dev.balora.nn.Dropouts;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.LayerGroup;
import dev.balora.nn.LayerNorm;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import dev.balora.objective.Scalars;
import java.util.List;
import java.util.Map;

/** One post-LayerNorm transformer layer, {@code encoder.layer.N}: self-attention and feed-forward blocks. */
public final class BertLayer implements Layer {
    private final String path;
    private final BertConfig config;
    private final Linear query; // [hidden, hidden]
    private final Linear key; // [hidden, hidden]
    private final Linear value; // [hidden, hidden]
    private final Linear attentionOutput; // [hidden, hidden]
    private final LayerNorm attentionNorm; // [hidden]
    private final Linear intermediate; // [intermediate, hidden]
    private final Linear output; // [hidden, intermediate]
    private final LayerNorm outputNorm; // [hidden]
    private final List<Layer> children;

    /**
     * Loads the layer.
     *
     * @param path its module path, e.g. {@code encoder.layer.3} or {@code bert.encoder.layer.3}
     * @param source the tensor-name prefix of this layer in the checkpoint
     */
    BertLayer(String path, String source, BertConfig config, TensorSource weights, NDManager manager) {
        this.path = path;
        this.config = config;
        long h = config.hiddenSize();
        long i = config.intermediateSize();
        float eps = config.layerNormEps();
        query = linear(path, source, "attention.self.query", h, h, weights, manager);
        key = linear(path, source, "attention.self.key", h, h, weights, manager);
        value = linear(path, source, "attention.self.value", h, h, weights, manager);
        attentionOutput = linear(path, source, "attention.output.dense", h, h, weights, manager);
        attentionNorm = norm(path, source, "attention.output.LayerNorm", h, eps, weights, manager);
        intermediate = linear(path, source, "intermediate.dense", i, h, weights, manager);
        output = linear(path, source, "output.dense", h, i, weights, manager);
        outputNorm = norm(path, source, "output.LayerNorm", h, eps, weights, manager);
        children = List.of(
                new LayerGroup(path + ".attention", List.of(
                        new LayerGroup(path + ".attention.self", List.of(query, key, value)),
                        new LayerGroup(path + ".attention.output", List.of(attentionOutput, attentionNorm)))),
                new LayerGroup(path + ".intermediate", List.of(intermediate)),
                new LayerGroup(path + ".output", List.of(output, outputNorm)));
    }

    /** The tensor names this layer reads, relative to the layer's checkpoint prefix. */
    static List<String> tensorNames() {
        return List.of("attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
                "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
                "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
                "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
                "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias");
    }

    static Linear linear(String path, String source, String module, long out, long in, TensorSource weights,
            NDManager manager) {
        String name = source + "." + module;
        return new Linear(path + "." + module, weights.load(name + ".weight", manager, out, in),
                weights.load(name + ".bias", manager, out));
    }

    static LayerNorm norm(String path, String source, String module, long hidden, float eps, TensorSource weights,
            NDManager manager) {
        String name = source + "." + module;
        return new LayerNorm(path + "." + module, weights.load(name + ".weight", manager, hidden),
                weights.load(name + ".bias", manager, hidden), eps);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<? extends Layer> children() {
        return children;
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /**
     * Runs the layer.
     *
     * @param x hidden states, [B, T, hidden]
     * @param additiveMask 0 where a key may be attended, a huge negative number at padding, [B, 1, 1, T]
     * @param ctx training or inference
     * @return new hidden states, [B, T, hidden]
     */
    public NDArray forward(NDArray x, NDArray additiveMask, ForwardContext ctx) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numAttentionHeads();
        int d = config.headDim();
        NDArray q = splitHeads(query.forward(x, ctx), b, t, heads, d); // [B, heads, T, d]
        NDArray k = splitHeads(key.forward(x, ctx), b, t, heads, d);
        NDArray v = splitHeads(value.forward(x, ctx), b, t, heads, d);
        // Scale after the product, as the Hugging Face eager attention does.
        NDArray scores = Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), (float) Math.sqrt(d)).add(additiveMask);
        NDArray probs = Dropouts.apply(scores.softmax(-1), config.attentionProbsDropoutProb(), ctx);
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(new Shape(b, t, (long) heads * d));
        NDArray attended = Dropouts.apply(attentionOutput.forward(context, ctx), config.hiddenDropoutProb(), ctx);
        NDArray h = attentionNorm.forward(attended.add(x));
        NDArray ff = config.hiddenAct().apply(intermediate.forward(h, ctx));
        NDArray out = Dropouts.apply(output.forward(ff, ctx), config.hiddenDropoutProb(), ctx);
        return outputNorm.forward(out.add(h));
    }

    private static NDArray splitHeads(NDArray x, long b, long t, int heads, int d) {
        return x.reshape(new Shape(b, t, heads, d)).transpose(0, 2, 1, 3);
    }
}
