package dev.balora.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.checkpoint.TensorSource;
import dev.balora.generate.GenerationOptions;
import dev.balora.generate.Generator;
import dev.balora.model.CausalLanguageModel;
import dev.balora.model.Models;
import dev.balora.model.llama.LlamaConfig;
import dev.balora.model.llama.LlamaForCausalLM;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.Layers;
import java.nio.file.Path;
import java.util.Random;

/**
 * Measures decoder throughput (not a test): tokens/s of one forward pass over a prompt, and of greedy generation with
 * and without the KV cache, on aidreams260K and on a random ~100M-parameter Llama.
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.DecoderBenchmark [shared-dir] [prompt] [new-tokens]
 * [intra-op-threads]}.
 */
public final class DecoderBenchmark {

    private DecoderBenchmark() {}

    /**
     * Runs the benchmark and prints one line per measurement.
     *
     * @param args optional: shared folder (default ../shared), prompt length (default 64), new tokens (default 64),
     *     torch intra-op threads (default: DJL's choice)
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        int promptLength = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int newTokens = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        ai.djl.engine.Engine.getInstance();
        if (args.length > 3) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(Integer.parseInt(args[3]));
        }
        System.out.printf("torch intra-op threads %d, cores %d, load average at start: %s%n",
                ai.djl.pytorch.jni.JniUtils.getNumThreads(), Runtime.getRuntime().availableProcessors(), loadAverage());
        try (CausalLanguageModel small = (CausalLanguageModel) Models.load(shared.resolve("models/aidreams260K"))) {
            run("aidreams260K", small, promptLength, newTokens);
        }
        try (CausalLanguageModel big = randomLlama()) {
            run("random-llama-" + Layers.count(big, false) / 1_000_000 + "M", big, promptLength, newTokens);
        }
        System.out.printf("load average at end: %s%n", loadAverage());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static void run(String name, CausalLanguageModel model, int promptLength, int newTokens) {
        Random r = new Random(1);
        int[] prompt = new int[promptLength];
        for (int i = 0; i < promptLength; i++) {
            prompt[i] = 3 + r.nextInt(model.vocabSize() - 3);
        }
        long[] ids = java.util.Arrays.stream(prompt).asLongStream().toArray();
        for (int warm = 0; warm < 2; warm++) {
            forward(model, ids);
        }
        int reps = 5;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            forward(model, ids);
        }
        double fwd = (System.nanoTime() - t0) / 1e9 / reps;
        System.out.printf("%s forward: prompt %d tokens in %.4f s = %.0f tokens/s%n", name, promptLength, fwd,
                promptLength / fwd);
        for (boolean cache : new boolean[] {true, false}) {
            GenerationOptions o = GenerationOptions.builder().setMaxNewTokens(newTokens).optUseCache(cache).build();
            Generator.generate(model, new int[] {prompt[0]}, GenerationOptions.builder().setMaxNewTokens(4)
                    .optUseCache(cache).build());
            long t = System.nanoTime();
            int n = Generator.generate(model, prompt, o).length;
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf("%s greedy %s cache: %d new tokens after a %d-token prompt in %.3f s = %.1f tokens/s%n",
                    name, cache ? "with" : "without", n, promptLength, s, n / s);
        }
    }

    private static void forward(CausalLanguageModel model, long[] ids) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray x = m.create(ids, new Shape(1, ids.length));
            model.logits(x, null, ForwardContext.INFERENCE).toFloatArray();
        }
    }

    /** A Llama with random weights of about 100M parameters (12 layers, hidden 768, GQA 12/4, vocab 32000). */
    static CausalLanguageModel randomLlama() {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "llama");
        c.addProperty("vocab_size", 32000);
        c.addProperty("hidden_size", 768);
        c.addProperty("intermediate_size", 2048);
        c.addProperty("num_hidden_layers", 12);
        c.addProperty("num_attention_heads", 12);
        c.addProperty("num_key_value_heads", 4);
        c.addProperty("max_position_embeddings", 2048);
        c.addProperty("tie_word_embeddings", true);
        LlamaConfig config = LlamaConfig.from(c, "random ~100M llama");
        InMemoryTensors t = new InMemoryTensors("random ~100M llama");
        Random r = new Random(0);
        long h = config.hiddenSize();
        long kv = (long) config.numKvHeads() * config.headDim();
        long inter = config.intermediateSize();
        put(t, r, "model.embed_tokens.weight", config.vocabSize(), h);
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            put(t, r, p + "input_layernorm.weight", h);
            put(t, r, p + "post_attention_layernorm.weight", h);
            put(t, r, p + "self_attn.q_proj.weight", h, h);
            put(t, r, p + "self_attn.k_proj.weight", kv, h);
            put(t, r, p + "self_attn.v_proj.weight", kv, h);
            put(t, r, p + "self_attn.o_proj.weight", h, h);
            put(t, r, p + "mlp.gate_proj.weight", inter, h);
            put(t, r, p + "mlp.up_proj.weight", inter, h);
            put(t, r, p + "mlp.down_proj.weight", h, inter);
        }
        put(t, r, "model.norm.weight", h);
        NDManager manager = NDManager.newBaseManager();
        return LlamaForCausalLM.load(config, (TensorSource) t, manager);
    }

    private static void put(InMemoryTensors t, Random r, String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        float scale = shape.length == 1 ? 0 : (float) (1.0 / Math.sqrt(shape[shape.length - 1]));
        for (int i = 0; i < v.length; i++) {
            v[i] = shape.length == 1 ? 1f : (float) r.nextGaussian() * scale;
        }
        t.put(name, shape, v);
    }
}
