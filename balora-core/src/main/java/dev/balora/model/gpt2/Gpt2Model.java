package dev.balora.model.gpt2;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.TensorSource;
import dev.balora.nn.CausalMask;
import dev.balora.nn.Dropouts;
import dev.balora.nn.Embedding;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;
import dev.balora.nn.Layer;
import dev.balora.nn.LayerGroup;
import dev.balora.nn.LayerNorm;
import dev.balora.nn.Linear;
import dev.balora.nn.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The GPT-2 trunk ({@code transformer}): token and learned position embeddings, pre-LN blocks, {@code ln_f}. */
public final class Gpt2Model implements Layer {
    /** The module path of the trunk inside the LM and classification models. */
    public static final String PATH = "transformer";

    private final Gpt2Config config;
    private final Embedding wte; // [vocab, hidden]
    private final Embedding wpe; // [positions, hidden]
    private final List<Gpt2Block> blocks;
    private final LayerNorm lnF; // [hidden]
    private final List<Layer> children;

    private Gpt2Model(Gpt2Config config, Embedding wte, Embedding wpe, List<Gpt2Block> blocks, LayerNorm lnF) {
        this.config = config;
        this.wte = wte;
        this.wpe = wpe;
        this.blocks = List.copyOf(blocks);
        this.lnF = lnF;
        this.children = List.of(wte, wpe, new LayerGroup(PATH + ".h", blocks), lnF);
    }

    /**
     * Loads the trunk. Checkpoints of the bare model name tensors {@code h.0...}, those saved from a head model
     * {@code transformer.h.0...}; both are accepted. Conv1D weights, stored [in, out], become [out, in].
     *
     * @throws CheckpointException listing missing tensors or naming one of the wrong shape
     */
    public static Gpt2Model load(Gpt2Config c, TensorSource weights, NDManager manager) {
        String prefix = weights.contains(PATH + ".wte.weight") ? PATH + "." : "";
        List<String> required = new ArrayList<>(List.of("wte.weight", "wpe.weight", "ln_f.weight", "ln_f.bias"));
        for (int i = 0; i < c.numLayers(); i++) {
            for (String n : new String[] {"ln_1", "ln_2", "attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"}) {
                required.add("h." + i + "." + n + ".weight");
                required.add("h." + i + "." + n + ".bias");
            }
        }
        weights.requireAll(required.stream().map(n -> prefix + n).toList());
        long h = c.hiddenSize();
        Embedding wte = new Embedding(PATH + ".wte", weights.load(prefix + "wte.weight", manager, c.vocabSize(), h));
        Embedding wpe = new Embedding(PATH + ".wpe",
                weights.load(prefix + "wpe.weight", manager, c.maxPositions(), h));
        List<Gpt2Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String src = prefix + "h." + i + ".";
            String dst = PATH + ".h." + i;
            Gpt2Attention attn = new Gpt2Attention(dst + ".attn",
                    conv1d(weights, manager, src + "attn.c_attn", dst + ".attn.c_attn", h, 3 * h),
                    conv1d(weights, manager, src + "attn.c_proj", dst + ".attn.c_proj", h, h), c.numHeads(),
                    c.attnPdrop(), c.residPdrop());
            blocks.add(new Gpt2Block(dst, i,
                    layerNorm(weights, manager, src + "ln_1", dst + ".ln_1", c),
                    attn,
                    layerNorm(weights, manager, src + "ln_2", dst + ".ln_2", c),
                    conv1d(weights, manager, src + "mlp.c_fc", dst + ".mlp.c_fc", h, c.innerSize()),
                    conv1d(weights, manager, src + "mlp.c_proj", dst + ".mlp.c_proj", c.innerSize(), h),
                    c.activation(), c.residPdrop()));
        }
        LayerNorm lnF = layerNorm(weights, manager, prefix + "ln_f", PATH + ".ln_f", c);
        return new Gpt2Model(c, wte, wpe, blocks, lnF);
    }

    private static Linear conv1d(TensorSource w, NDManager m, String src, String path, long in, long out) {
        String name = src + ".weight";
        long[] shape = w.info(name).shape();
        if (shape.length != 2 || shape[0] != in || shape[1] != out) {
            throw new CheckpointException(w.location(), name, "Conv1D weight shape "
                    + java.util.Arrays.toString(shape) + " does not match the configuration's [" + in + ", " + out
                    + "] ([in, out])");
        }
        float[] stored = w.readFloats(name);
        float[] t = new float[stored.length];
        // Transposed on the host so the Linear gets a contiguous [out, in] weight.
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                t[(int) (o * in + i)] = stored[(int) (i * out + o)];
            }
        }
        NDArray weight = EngineArrays.own(m.create(t, new Shape(out, in)));
        return new Linear(path, weight, w.load(src + ".bias", m, out));
    }

    private static LayerNorm layerNorm(TensorSource w, NDManager m, String src, String path, Gpt2Config c) {
        return new LayerNorm(path, w.load(src + ".weight", m, c.hiddenSize()), w.load(src + ".bias", m,
                c.hiddenSize()), c.layerNormEps());
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public List<? extends Layer> children() {
        return children;
    }

    @Override
    public Map<String, Param> parameters() {
        return Map.of();
    }

    /** The token embedding (the LM head's tied weight). */
    public Embedding wte() {
        return wte;
    }

    /** The configuration. */
    public Gpt2Config config() {
        return config;
    }

    /**
     * Final hidden states.
     *
     * @param inputIds [batch, tokens]
     * @param attentionMask [batch, cached + tokens] of 0/1, or null
     * @param cache KV cache or null
     * @param context forward mode
     * @return [batch, tokens, hidden]
     */
    public NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache, ForwardContext context) {
        Shape s = inputIds.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("input ids must be [batch, tokens], got " + s);
        }
        int batch = (int) s.get(0);
        int tokens = (int) s.get(1);
        int past = cache == null ? 0 : cache.length();
        NDManager m = inputIds.getManager();
        CausalMask mask = CausalMask.of(attentionMask, batch, past, tokens);
        int[][] pos = mask.positions();
        long[] flat = new long[batch * tokens];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < tokens; j++) {
                if (pos[i][j] >= config.maxPositions()) {
                    throw new IllegalArgumentException("position " + pos[i][j] + " is beyond GPT-2's n_positions "
                            + config.maxPositions());
                }
                flat[i * tokens + j] = pos[i][j];
            }
        }
        NDArray x = wte.forward(inputIds).add(wpe.forward(EngineArrays.own(m.create(flat, new Shape(batch, tokens)))));
        x = Dropouts.apply(x, config.embdPdrop(), context);
        NDArray additive = mask.additive(m, true);
        for (Gpt2Block block : blocks) {
            x = block.forward(x, additive, cache, context);
        }
        return lnF.forward(x);
    }
}
