package dev.balora.examples;

import ai.djl.Device;
import dev.balora.recipe.ModelResolver;
import dev.balora.model.bert.Pooling;
import dev.balora.model.bert.SentenceEncoder;
import java.nio.file.Path;
import java.util.List;

/**
 * Embeds sentences with the bundled all-MiniLM-L6-v2 encoder and prints how similar each pair is.
 *
 * <p>Usage: {@code java -cp balora.jar dev.balora.examples.EmbedSentences ["sentence" ...]}.
 */
public final class EmbedSentences {

    private EmbedSentences() {}

    /**
     * Prints the cosine similarity of every pair of sentences.
     *
     * @param args sentences (default: three built-in ones)
     */
    public static void main(String[] args) {
        List<String> sentences = args.length > 0 ? List.of(args) : List.of("A man is playing a guitar.",
                "Someone is playing an instrument.", "The stock market fell sharply today.");
        double[][] cos = similarities(sentences);
        for (int i = 0; i < sentences.size(); i++) {
            for (int j = i + 1; j < sentences.size(); j++) {
                System.out.printf("%.3f  \"%s\" ~ \"%s\"%n", cos[i][j], sentences.get(i), sentences.get(j));
            }
        }
    }

    /** The cosine similarity of every pair of sentences, from their mean-pooled MiniLM embeddings. */
    public static double[][] similarities(List<String> sentences) {
        // The model ships inside a Maven jar as ONNX; the first call imports it into ~/.cache/balora (or
        // -Dbalora.cache), later calls find the Hugging Face directory there.
        Path model = ModelResolver.resolve(ModelResolver.DEFAULT_MODEL);
        float[][] vectors;
        try (SentenceEncoder encoder = SentenceEncoder.open(model, Device.cpu())) {
            // Sentence-transformers trained MiniLM with mean pooling over the real (unpadded) tokens.
            vectors = encoder.embed(sentences, Pooling.MEAN);
        }
        double[][] cos = new double[vectors.length][vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            for (int j = 0; j < vectors.length; j++) {
                cos[i][j] = cosine(vectors[i], vectors[j]);
            }
        }
        return cos;
    }

    /** The cosine of the angle between two vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
