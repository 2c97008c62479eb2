package dev.balora.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token from one row of logits: arg-max, or a draw after temperature, top-k and top-p. */
final class TokenSampler {
    private final GenerationOptions options;
    private final Random random;

    TokenSampler(GenerationOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    /** The next token for logits[offset, offset + vocab). */
    int next(float[] logits, int offset, int vocab) {
        for (int i = 0; i < vocab; i++) {
            if (Float.isNaN(logits[offset + i])) {
                throw new IllegalStateException("the model produced NaN logits (token " + i + ")");
            }
        }
        if (options.isGreedy()) {
            return argMax(logits, offset, vocab);
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
        int keep = vocab;
        if (options.topK() > 0 && options.topK() < vocab) {
            // Ties with the k-th logit stay in, as Hugging Face's top-k filter keeps them.
            float kth = logits[offset + order[options.topK() - 1]];
            keep = options.topK();
            while (keep < vocab && logits[offset + order[keep]] == kth) {
                keep++;
            }
        }
        double max = logits[offset + order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[offset + order[i]] - max) / options.temperature());
            sum += p[i];
        }
        if (options.topP() < 1) {
            double cum = 0;
            int n = 0;
            while (n < keep) {
                cum += p[n] / sum;
                n++;
                if (cum >= options.topP()) {
                    break;
                }
            }
            keep = n;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /** The first index of the largest value, as torch.argmax picks. */
    static int argMax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
