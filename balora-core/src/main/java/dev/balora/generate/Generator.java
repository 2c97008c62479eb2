package dev.balora.generate;

import dev.balora.nn.EngineArrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.balora.model.CausalLanguageModel;
import dev.balora.nn.ForwardContext;
import dev.balora.nn.KvCache;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes continuations of a batch of prompts of different lengths (left-padded), with or without a KV cache.
 *
 * <p>The cache only saves work: each step sees exactly the tokens, mask and positions it would see without it.
 */
public final class Generator {

    private Generator() {}

    /**
     * Generates continuations.
     *
     * @param model the decoder
     * @param prompts token ids per prompt (each non-empty)
     * @param options decoding options
     * @return the new tokens of each prompt, in order, ending with a stop token when one was produced
     */
    public static List<int[]> generate(CausalLanguageModel model, List<int[]> prompts, GenerationOptions options) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to continue");
        }
        int batch = prompts.size();
        int longest = 0;
        for (int i = 0; i < batch; i++) {
            int[] p = prompts.get(i);
            if (p.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty; start it with at least one token");
            }
            for (int t : p) {
                if (t < 0 || t >= model.vocabSize()) {
                    throw new IllegalArgumentException("prompt " + i + " holds token " + t + ", outside the "
                            + "vocabulary [0, " + model.vocabSize() + ")");
                }
            }
            longest = Math.max(longest, p.length);
        }
        int total = longest + options.maxNewTokens();
        long[] ids = new long[batch * total]; // [batch, total], left-padded prompts then generated tokens
        long[] mask = new long[batch * total];
        for (int i = 0; i < batch; i++) {
            int[] p = prompts.get(i);
            int pad = longest - p.length;
            for (int j = 0; j < longest; j++) {
                ids[i * total + j] = j < pad ? options.padTokenId() : p[j - pad];
                mask[i * total + j] = j < pad ? 0 : 1;
            }
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            out.add(new ArrayList<>());
        }
        boolean[] finished = new boolean[batch];
        TokenSampler sampler = new TokenSampler(options);
        int vocab = model.vocabSize();
        try (NDManager gen = model.manager().newSubManager();
                KvCache cache = options.useCache() ? model.newCache(gen) : null) {
            int length = longest;
            for (int step = 0; step < options.maxNewTokens(); step++) {
                int from = cache == null || step == 0 ? 0 : length - 1;
                float[] last;
                try (NDManager s = gen.newSubManager()) {
                    NDArray inIds = EngineArrays.own(s.create(columns(ids, batch, total, from, length), new Shape(batch, length - from)));
                    NDArray inMask = EngineArrays.own(s.create(columns(mask, batch, total, 0, length), new Shape(batch, length)));
                    NDArray logits = model.forward(inIds, inMask, cache, ForwardContext.INFERENCE);
                    last = logits.get(new NDIndex(":, -1, :")).toFloatArray();
                }
                boolean all = true;
                for (int i = 0; i < batch; i++) {
                    int token;
                    boolean real = !finished[i];
                    if (finished[i]) {
                        token = options.padTokenId();
                    } else {
                        token = sampler.next(last, i * vocab, vocab);
                        out.get(i).add(token);
                        finished[i] = options.stopTokens().contains(token);
                    }
                    ids[i * total + length] = token;
                    // A finished row's later slots are padding: no other row ever sees them anyway.
                    mask[i * total + length] = real ? 1 : 0;
                    all &= finished[i];
                }
                length++;
                if (all) {
                    break;
                }
            }
        }
        List<int[]> result = new ArrayList<>();
        for (List<Integer> row : out) {
            result.add(row.stream().mapToInt(Integer::intValue).toArray());
        }
        return result;
    }

    private static long[] columns(long[] data, int batch, int total, int from, int to) {
        int width = to - from;
        long[] out = new long[batch * width];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(data, i * total + from, out, i * width, width);
        }
        return out;
    }

    /** Generates a continuation of one prompt. */
    public static int[] generate(CausalLanguageModel model, int[] prompt, GenerationOptions options) {
        return generate(model, List.of(prompt), options).get(0);
    }
}
