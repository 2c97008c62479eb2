package dev.balora.nn;

/**
 * How rotary frequencies are rescaled for longer contexts ({@code rope_scaling} of a Hugging Face config).
 *
 * @param type none, linear or llama3
 * @param factor the context extension factor (linear, llama3)
 * @param lowFreqFactor llama3: wavelengths above {@code original / lowFreqFactor} are divided by {@code factor}
 * @param highFreqFactor llama3: wavelengths below {@code original / highFreqFactor} are kept
 * @param originalMaxPositions llama3: the pre-training context length
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
        double originalMaxPositions) {

    /** No rescaling. */
    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 1, 1, 1);

    /** The supported rescaling rules. */
    public enum Type {
        /** Frequencies as computed from {@code rope_theta}. */
        NONE,
        /** Every frequency divided by the factor (positions interpolated). */
        LINEAR,
        /** Llama 3.1's band-wise rule: low frequencies divided, high kept, the middle band interpolated. */
        LLAMA3
    }

    /** Validates the parameters of the chosen type. */
    public RopeScaling {
        if (type != Type.NONE && !(factor > 0)) {
            throw new IllegalArgumentException("rope_scaling factor must be positive, got " + factor);
        }
        if (type == Type.LLAMA3 && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0 && originalMaxPositions > 0)) {
            throw new IllegalArgumentException("llama3 rope_scaling needs 0 < low_freq_factor < high_freq_factor and "
                    + "a positive original_max_position_embeddings, got low=" + lowFreqFactor + " high="
                    + highFreqFactor + " original=" + originalMaxPositions);
        }
    }

    /** Applies the rule to the inverse frequencies {@code theta^(-2i/d)}, returning new ones. */
    public double[] apply(double[] invFreq) {
        double[] out = invFreq.clone();
        if (type == Type.LINEAR) {
            for (int i = 0; i < out.length; i++) {
                out[i] = invFreq[i] / factor;
            }
        } else if (type == Type.LLAMA3) {
            double lowWavelen = originalMaxPositions / lowFreqFactor;
            double highWavelen = originalMaxPositions / highFreqFactor;
            for (int i = 0; i < out.length; i++) {
                double wavelen = 2 * Math.PI / invFreq[i];
                if (wavelen > lowWavelen) {
                    out[i] = invFreq[i] / factor;
                } else if (wavelen >= highWavelen) {
                    double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    out[i] = (1 - smooth) * invFreq[i] / factor + smooth * invFreq[i];
                }
            }
        }
        return out;
    }
}
