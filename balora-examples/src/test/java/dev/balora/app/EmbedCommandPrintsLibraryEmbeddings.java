package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.model.bert.Pooling;
import dev.balora.model.bert.SentenceEncoder;
import dev.balora.onnx.EmbeddedModel;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code balora embed} on the embedded default model prints one un-normalised vector per {@code --text}, equal to
 * what the library computes, importing the model into the cache once; {@code import-onnx --onnx} writes the same
 * weights as the class-path import.
 */
class EmbedCommandPrintsLibraryEmbeddings {
    @TempDir
    Path cache;

    @TempDir
    Path work;

    private String previousCache;

    @BeforeEach
    void useTemporaryCache() {
        previousCache = System.getProperty("balora.cache");
        System.setProperty("balora.cache", cache.toString());
    }

    @AfterEach
    void restoreCache() {
        if (previousCache == null) {
            System.clearProperty("balora.cache");
        } else {
            System.setProperty("balora.cache", previousCache);
        }
    }

    @Test
    void embedPrintsTheLibrarysVectors() throws Exception {
        List<String> texts = List.of("A man is playing a guitar.", "Cats sleep a lot.");
        String stdout = run("embed", "--model", "all-minilm-l6-v2", "--text", texts.get(0), "--text", texts.get(1),
                "--pooling", "cls");
        JsonObject json = JsonParser.parseString(stdout).getAsJsonObject();
        JsonArray rows = json.getAsJsonArray("embeddings");
        assertEquals(2, rows.size());
        Path dir = cache.resolve("all-minilm-l6-v2");
        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        FileTime imported = Files.getLastModifiedTime(dir.resolve("model.safetensors"));
        try (SentenceEncoder encoder = SentenceEncoder.open(dir, Device.cpu())) {
            float[][] expected = encoder.embed(texts, Pooling.CLS);
            for (int i = 0; i < 2; i++) {
                JsonArray row = rows.get(i).getAsJsonArray();
                assertEquals(384, row.size());
                float[] got = new float[row.size()];
                for (int k = 0; k < got.length; k++) {
                    got[k] = row.get(k).getAsFloat();
                }
                assertArrayEquals(expected[i], got, 1e-6f);
                double norm = 0;
                for (float v : got) {
                    norm += v * v;
                }
                assertTrue(Math.abs(Math.sqrt(norm) - 1) > 1e-3, "vectors must not be normalised");
            }
        }
        // The default model resolves to the same cached directory without importing again.
        run("embed", "--text", "again");
        assertEquals(imported, Files.getLastModifiedTime(dir.resolve("model.safetensors")));
    }

    @Test
    void importOnnxFromFileEqualsClasspathImport() throws Exception {
        EmbeddedModel model = EmbeddedModel.ALL_MINILM_L6_V2;
        Path onnx = work.resolve("minilm.onnx");
        copyResource(model.onnxResource(), onnx);
        copyResource(model.tokenizerResource(), work.resolve("minilm-tokenizer.json"));
        Path fromFile = work.resolve("from-file");
        Path fromMaven = work.resolve("from-maven");
        JsonObject a = JsonParser.parseString(run("import-onnx", "--onnx", onnx.toString(), "--out",
                fromFile.toString())).getAsJsonObject();
        run("import-onnx", "--from-maven", "all-minilm-l6-v2", "--out", fromMaven.toString());
        assertTrue(a.get("tokenizer").getAsBoolean(), "tokenizer found beside the ONNX file");
        assertEquals(12, a.getAsJsonObject("config").get("num_attention_heads").getAsInt());
        for (String f : List.of("config.json", "tokenizer.json")) {
            assertArrayEquals(Files.readAllBytes(fromMaven.resolve(f)), Files.readAllBytes(fromFile.resolve(f)), f);
        }
        try (HfCheckpoint x = HfCheckpoint.open(fromMaven); HfCheckpoint y = HfCheckpoint.open(fromFile)) {
            assertEquals(x.tensors().names(), y.tensors().names());
            for (String name : x.tensors().names()) {
                assertArrayEquals(x.tensors().readFloats(name), y.tensors().readFloats(name), 0f, name);
            }
        }
    }

    private static void copyResource(String resource, Path target) throws Exception {
        try (InputStream in = EmbedCommandPrintsLibraryEmbeddings.class.getClassLoader()
                .getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            int code = BaloraApp.execute(args);
            assertEquals(0, code, "exit code of " + String.join(" ", args));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).trim();
    }
}
