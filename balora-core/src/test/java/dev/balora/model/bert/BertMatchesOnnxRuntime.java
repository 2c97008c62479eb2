package dev.balora.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.balora.model.Models;
import dev.balora.model.PretrainedModel;
import dev.balora.nn.ForwardContext;
import dev.balora.onnx.EmbeddedModel;
import dev.balora.onnx.OnnxImport;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our BERT, loaded from the Hugging Face directory the ONNX import writes, reproduces ONNX Runtime's
 * {@code last_hidden_state} on the same ONNX file for one padded batch of sentences of different lengths.
 */
class BertMatchesOnnxRuntime {
    static final List<String> SENTENCES = List.of(
            "Hi.",
            "The cat sat on the mat.",
            "A man is playing a guitar on a street corner while people walk by.",
            "Transformers compute contextual embeddings for every token of the input sequence.",
            "Is it raining?",
            "She sells sea shells by the sea shore, and the shells she sells are surely sea shells, I'm told.",
            "Pre-trained encoders are fine-tuned with low-rank adapters: PiSSA initialises them from the SVD.",
            "ok",
            "The quick brown fox jumps over the lazy dog near the riverbank at dawn.",
            "Numbers like 3.14159 and 2,718 get split into several word pieces.");

    @TempDir
    Path dir;

    @Test
    void allMiniLmMatches() throws Exception {
        double diff = compare(EmbeddedModel.ALL_MINILM_L6_V2, 6);
        System.out.println("all-MiniLM-L6-v2 max |ours - onnxruntime| = " + diff);
        assertTrue(diff <= 1e-4, "max abs diff " + diff);
    }

    @Test
    void bgeSmallMatches() throws Exception {
        double diff = compare(EmbeddedModel.BGE_SMALL_EN_V15, 12);
        System.out.println("bge-small-en-v1.5 max |ours - onnxruntime| = " + diff);
        assertTrue(diff <= 1e-4, "max abs diff " + diff);
    }

    private double compare(EmbeddedModel embedded, int layers) throws Exception {
        OnnxImport.fromClasspath(embedded.id()).writeTo(dir);
        long[][] ids;
        long[][] mask;
        float[][][] ours;
        try (PretrainedModel loaded = Models.load(dir);
                SentenceEncoder encoder = SentenceEncoder.of((BertModel) loaded, dir.resolve("tokenizer.json"));
                NDManager m = loaded.manager().newSubManager()) {
            BertModel model = (BertModel) loaded;
            assertEquals(layers, model.config().numHiddenLayers());
            assertEquals(12, model.config().numAttentionHeads());
            NDArray[] enc = encoder.encode(SENTENCES, m);
            ids = toMatrix(enc[0]);
            mask = toMatrix(enc[1]);
            NDArray hidden = model.hiddenStates(enc[0], enc[1], null, ForwardContext.INFERENCE);
            ours = toCube(hidden);
        }
        Set<Integer> lengths = new HashSet<>();
        for (long[] row : mask) {
            lengths.add((int) java.util.Arrays.stream(row).sum());
        }
        assertTrue(lengths.size() >= 8, "sentences should have at least 8 different lengths: " + lengths);
        assertTrue(lengths.contains(ids[0].length), "batch padded to its longest sentence, not a fixed length");
        float[][][] reference = OnnxRuntimeReference.lastHiddenState(embedded, ids, mask);
        double max = 0;
        int compared = 0;
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                if (mask[b][t] == 0) {
                    continue;
                }
                for (int k = 0; k < ours[b][t].length; k++) {
                    max = Math.max(max, Math.abs(ours[b][t][k] - reference[b][t][k]));
                }
                compared++;
            }
        }
        assertTrue(compared > 100, "too few positions compared: " + compared);
        return max;
    }

    static long[][] toMatrix(NDArray a) {
        int rows = (int) a.getShape().get(0);
        int cols = (int) a.getShape().get(1);
        long[] flat = a.toLongArray();
        long[][] out = new long[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    static float[][][] toCube(NDArray a) {
        int b = (int) a.getShape().get(0);
        int t = (int) a.getShape().get(1);
        int h = (int) a.getShape().get(2);
        float[] flat = a.toFloatArray();
        float[][][] out = new float[b][t][h];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                System.arraycopy(flat, (i * t + j) * h, out[i][j], 0, h);
            }
        }
        return out;
    }
}
