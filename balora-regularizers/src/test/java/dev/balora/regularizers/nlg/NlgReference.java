package dev.balora.regularizers.nlg;

import dev.balora.regularizers.Numeric;
import java.util.Arrays;

/** Plain double-loop versions of the NLG terms over an explicit list of (b, t) positions, logits row-major. */
final class NlgReference {
    private NlgReference() {}

    static double[] logSoftmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - lse;
        }
        return out;
    }

    static double[] row(double[] z, int time, int vocab, int b, int t) {
        return Arrays.copyOfRange(z, (b * time + t) * vocab, (b * time + t + 1) * vocab);
    }

    /** T^2 * sum over positions of KL(softmax(r/T) || softmax(z/T)), divided by {@code divisor}. */
    static double kl(double[] z, double[] r, int time, int vocab, int[][] positions, double temp, double divisor) {
        double total = 0;
        for (int[] p : positions) {
            double[] zs = row(z, time, vocab, p[0], p[1]);
            double[] rs = row(r, time, vocab, p[0], p[1]);
            for (int v = 0; v < vocab; v++) {
                zs[v] /= temp;
                rs[v] /= temp;
            }
            double[] lq = logSoftmax(zs);
            double[] lp = logSoftmax(rs);
            for (int v = 0; v < vocab; v++) {
                total += Math.exp(lp[v]) * (lp[v] - lq[v]);
            }
        }
        return temp * temp * total / divisor;
    }

    /** -mean over positions of the entropy of the softmax over the K largest logits (K = 0: all). */
    static double negEntropy(double[] z, int time, int vocab, int[][] positions, int k) {
        double total = 0;
        for (int[] p : positions) {
            double[] row = row(z, time, vocab, p[0], p[1]);
            Arrays.sort(row);
            int keep = k == 0 ? vocab : Math.min(k, vocab);
            double[] top = Arrays.copyOfRange(row, vocab - keep, vocab);
            double[] lp = logSoftmax(top);
            double h = 0;
            for (double l : lp) {
                h -= Math.exp(l) * l;
            }
            total += h;
        }
        return -total / positions.length;
    }

    /** -(sum of the top min(k, N, V) singular values of the position rows) / (Frobenius or nuclear norm). */
    static double svdRatio(double[] z, int time, int vocab, int[][] positions, int k, boolean frobenius) {
        double[] m = new double[positions.length * vocab];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(row(z, time, vocab, positions[i][0], positions[i][1]), 0, m, i * vocab, vocab);
        }
        double[] s = Numeric.singularValues(m, positions.length, vocab);
        int kk = Math.min(k, s.length);
        double top = 0;
        double nuclear = 0;
        double sq = 0;
        for (int i = 0; i < s.length; i++) {
            if (i < kk) {
                top += s[i];
            }
            nuclear += s[i];
            sq += s[i] * s[i];
        }
        return -top / (frobenius ? Math.sqrt(sq) : nuclear);
    }
}
