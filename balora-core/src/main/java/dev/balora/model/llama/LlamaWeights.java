package dev.balora.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.checkpoint.TensorSource;
import dev.balora.nn.Attention;
import dev.balora.nn.Embedding;
import dev.balora.nn.GatedMlp;
import dev.balora.nn.Linear;
import dev.balora.nn.RmsNorm;
import java.util.ArrayList;
import java.util.List;

/** Reads a Llama-family checkpoint by Hugging Face tensor name, checking every shape against the config. */
final class LlamaWeights {
    private final LlamaConfig c;
    private final TensorSource weights;
    private final NDManager manager;

    LlamaWeights(LlamaConfig c, TensorSource weights, NDManager manager) {
        this.c = c;
        this.weights = weights;
        this.manager = manager;
    }

    /** Every tensor the configuration needs, so all missing ones are reported together. */
    static List<String> requiredNames(LlamaConfig c) {
        List<String> names = new ArrayList<>();
        names.add("model.embed_tokens.weight");
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            names.add(p + "input_layernorm.weight");
            names.add(p + "post_attention_layernorm.weight");
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                names.add(p + "self_attn." + proj + ".weight");
                boolean bias = proj.equals("o_proj") ? c.outputBias() : c.qkvBias();
                if (bias) {
                    names.add(p + "self_attn." + proj + ".bias");
                }
            }
            for (String proj : new String[] {"gate_proj", "up_proj", "down_proj"}) {
                names.add(p + "mlp." + proj + ".weight");
                if (c.mlpBias()) {
                    names.add(p + "mlp." + proj + ".bias");
                }
            }
        }
        names.add("model.norm.weight");
        if (!c.tieWordEmbeddings()) {
            names.add("lm_head.weight");
        }
        return names;
    }

    LlamaForCausalLM build(LlamaForCausalLM.Assembler assembler) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        NDArray embed = weights.load("model.embed_tokens.weight", manager, c.vocabSize(), h);
        List<LlamaDecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i;
            String a = p + ".self_attn";
            String m = p + ".mlp";
            layers.add(new LlamaDecoderLayer(p, i,
                    norm(p + ".input_layernorm"),
                    new Attention(a,
                            linear(a + ".q_proj", q, h, c.qkvBias()),
                            linear(a + ".k_proj", kv, h, c.qkvBias()),
                            linear(a + ".v_proj", kv, h, c.qkvBias()),
                            linear(a + ".o_proj", h, q, c.outputBias()),
                            c.numHeads(), c.numKvHeads(), c.headDim()),
                    norm(p + ".post_attention_layernorm"),
                    new GatedMlp(m,
                            linear(m + ".gate_proj", inter, h, c.mlpBias()),
                            linear(m + ".up_proj", inter, h, c.mlpBias()),
                            linear(m + ".down_proj", h, inter, c.mlpBias()),
                            c.activation())));
        }
        RmsNorm norm = norm("model.norm");
        // A tied head reads the embedding's own array, as Hugging Face ties the two parameters.
        Linear head = c.tieWordEmbeddings()
                ? new Linear("lm_head", embed, null)
                : linear("lm_head", c.vocabSize(), h, false);
        return assembler.assemble(new Embedding("model.embed_tokens", embed), layers, norm, head);
    }

    private Linear linear(String path, long out, long in, boolean bias) {
        NDArray w = weights.load(path + ".weight", manager, out, in);
        NDArray b = bias ? weights.load(path + ".bias", manager, out) : null;
        return new Linear(path, w, b);
    }

    private RmsNorm norm(String path) {
        return new RmsNorm(path, weights.load(path + ".weight", manager, c.hiddenSize()), c.rmsNormEps(),
                c.gemmaStyle());
    }
}
