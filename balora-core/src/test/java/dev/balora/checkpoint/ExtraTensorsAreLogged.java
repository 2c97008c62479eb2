package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors a checkpoint holds but the model never read are reported with the checkpoint's location: at WARN,
 * except those the architecture declares it does not need.
 */
class ExtraTensorsAreLogged {
    @TempDir
    Path dir;

    private Path checkpoint() {
        return new SafetensorsFileBuilder()
                .f32("embed.weight", new long[] {2}, 1, 2)
                .f32("layers.0.w", new long[] {2}, 3, 4)
                .f32("classifier.weight", new long[] {1}, 5)
                .f32("rotary.inv_freq", new long[] {1}, 6)
                .write(dir.resolve("model.safetensors"));
    }

    @Test
    void unusedTensorsAreListedAndWarned() {
        Path f = checkpoint();
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager()) {
            TensorUsage usage = TensorUsage.track(s);
            usage.load("embed.weight", m, 2);
            usage.readFloats("layers.0.w");
            assertEquals(List.of("classifier.weight", "rotary.inv_freq"), usage.unused());
            String[] log = new String[1];
            List<String> unused = captureStderr(() -> usage.logUnused(n -> n.endsWith(".inv_freq")), log);
            assertEquals(List.of("classifier.weight", "rotary.inv_freq"), unused);
            assertTrue(log[0].contains("WARN"), log[0]);
            assertTrue(log[0].contains(f.toString()), log[0]);
            assertTrue(log[0].contains("1 tensor(s)") && log[0].contains("[classifier.weight]"), log[0]);
            assertFalse(log[0].lines().filter(l -> l.contains("WARN")).anyMatch(l -> l.contains("inv_freq")),
                    "an expected tensor was warned about: " + log[0]);
        }
    }

    @Test
    void nothingIsWarnedWhenEverythingIsUsed() {
        Path f = checkpoint();
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            String[] log = new String[1];
            List<String> unused = captureStderr(() -> TensorUsage.logUnused(s,
                    List.of("embed.weight", "layers.0.w", "classifier.weight", "rotary.inv_freq")), log);
            assertEquals(List.of(), unused);
            assertFalse(log[0].contains("WARN"), log[0]);
        }
    }

    @Test
    void staticFormTakesTheConsumedNames() {
        Path f = checkpoint();
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            String[] log = new String[1];
            List<String> unused = captureStderr(() -> TensorUsage.logUnused(s, List.of("embed.weight")), log);
            assertEquals(List.of("layers.0.w", "classifier.weight", "rotary.inv_freq"), unused);
            assertTrue(log[0].contains("3 tensor(s)"), log[0]);
        }
    }

    /** Runs {@code action} with System.err captured (the test logging binding writes there). */
    private static <T> T captureStderr(Supplier<T> action, String[] captured) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setErr(old);
            captured[0] = buf.toString(StandardCharsets.UTF_8);
        }
    }
}
