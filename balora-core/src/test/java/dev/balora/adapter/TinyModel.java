package dev.balora.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layer;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small hand-built model for adapter tests: two residual blocks (q_proj, mlp.up_proj, mlp.down_proj), a scale
 * "norm" and a classifier head. {@code x [B, 16] -> logits [B, 3]}.
 */
public final class TinyModel implements PretrainedModel {
    static final int HIDDEN = 16;
    static final int INTERMEDIATE = 24;
    static final int CLASSES = 3;

    private final NDManager manager;
    private final Node root;
    private final List<Linear[]> blocks = new ArrayList<>();
    private final Node norm;
    private final Linear classifier;

    /** A layer that only groups children (or holds non-Linear parameters). */
    record Node(String path, List<Layer> children, Map<String, Param> parameters) implements Layer {}

    /** Builds the model with Gaussian weights drawn from {@code seed}. */
    public TinyModel(NDManager manager, long seed) {
        this(manager, seed, false);
    }

    /**
     * Builds the model; with {@code tieQ} the second block's q_proj holds the first block's weight array (a tie
     * like tied embeddings).
     */
    public TinyModel(NDManager manager, long seed, boolean tieQ) {
        this(manager, seed, tieQ, "");
    }

    /**
     * Builds the model with its blocks under {@code blockPrefix} ({@code "model."}: {@code model.blocks.0.attn.q_proj},
     * a path in which PEFT's layers_to_transform finds the layer index, as in Hugging Face models).
     */
    public TinyModel(NDManager manager, long seed, boolean tieQ, String blockPrefix) {
        this.manager = manager;
        Random random = new Random(seed);
        List<Layer> top = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String p = blockPrefix + "blocks." + i;
            Linear q = linear(p + ".attn.q_proj", HIDDEN, HIDDEN, true, random);
            if (tieQ && i == 1) {
                q = new Linear(p + ".attn.q_proj", blocks.get(0)[0].weight().array(), null);
            }
            Linear up = linear(p + ".mlp.up_proj", INTERMEDIATE, HIDDEN, true, random);
            Linear down = linear(p + ".mlp.down_proj", HIDDEN, INTERMEDIATE, false, random);
            blocks.add(new Linear[] {q, up, down});
            top.add(new Node(p, List.of(new Node(p + ".attn", List.of(q), Map.of()),
                    new Node(p + ".mlp", List.of(up, down), Map.of())), Map.of()));
        }
        float[] scale = new float[HIDDEN];
        for (int i = 0; i < HIDDEN; i++) {
            scale[i] = 1f + 0.1f * (float) random.nextGaussian();
        }
        norm = new Node("norm", List.of(), Map.of("weight", new Param("weight", manager.create(scale), false)));
        top.add(norm);
        classifier = linear("classifier", CLASSES, HIDDEN, true, random);
        top.add(classifier);
        root = new Node("", top, Map.of());
    }

    private Linear linear(String path, int out, int in, boolean bias, Random random) {
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() / Math.sqrt(in));
        }
        NDArray b = null;
        if (bias) {
            float[] bv = new float[out];
            for (int i = 0; i < out; i++) {
                bv[i] = (float) (0.1 * random.nextGaussian());
            }
            b = manager.create(bv);
        }
        return new Linear(path, manager.create(w, new Shape(out, in)), b);
    }

    /** Loads a model whose weights were written by an export (keys = state-dict keys). */
    public static TinyModel load(NDManager manager, dev.balora.checkpoint.TensorSource source) {
        TinyModel model = new TinyModel(manager, 0);
        for (Map.Entry<String, Param> e : dev.balora.nn.Layers.parameters(model).entrySet()) {
            e.getValue().replace(source.load(e.getKey(), manager, e.getValue().shape().getShape()));
        }
        return model;
    }

    /** The forward pass: {@code x [B, 16] -> logits [B, 3]}. */
    public NDArray forward(NDArray x, ForwardContext context) {
        NDArray h = x;
        for (Linear[] block : blocks) {
            h = h.add(block[0].forward(h, context));
            h = h.add(block[2].forward(block[1].forward(h, context).tanh(), context));
        }
        h = h.mul(norm.parameters().get("weight").array());
        return classifier.forward(h, context);
    }

    /** A deterministic input batch [batch, 16]. */
    public static NDArray input(NDManager manager, int batch, long seed) {
        Random random = new Random(seed);
        float[] x = new float[batch * HIDDEN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return manager.create(x, new Shape(batch, HIDDEN));
    }

    @Override
    public String modelType() {
        return "tiny";
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Set<String> outputHeadPaths() {
        return Set.of("classifier");
    }

    @Override
    public String path() {
        return root.path();
    }

    @Override
    public List<? extends Layer> children() {
        return root.children();
    }

    @Override
    public Map<String, Param> parameters() {
        return root.parameters();
    }
}
