package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import dev.balora.fixtures.CheckpointDirBuilder;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a model needs tensors a checkpoint lacks, one error lists every one of them, not just the first. */
class MissingTensorsAreAllListed {
    @TempDir
    Path dir;

    private static SafetensorsFileBuilder weights() {
        return new SafetensorsFileBuilder()
                .f32("bert.embeddings.word_embeddings.weight", new long[] {2}, 1, 2)
                .f32("bert.pooler.dense.bias", new long[] {1}, 3);
    }

    @Test
    void everyMissingNameIsListedWithTheFile() {
        Path f = weights().write(dir.resolve("model.safetensors"));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertNamed(() -> s.requireAll(List.of("embeddings.word_embeddings.weight", "bert.pooler.dense.bias",
                    "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.output.dense.bias")), f, null,
                    "3 tensor(s)", "embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight",
                    "encoder.layer.0.output.dense.bias",
                    // A present name shows at a glance that the checkpoint's names carry a "bert." prefix.
                    "bert.embeddings.word_embeddings.weight");
        }
    }

    @Test
    void nothingIsReportedWhenAllArePresent() {
        Path f = weights().write(dir.resolve("model.safetensors"));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertDoesNotThrow(() -> s.requireAll(List.of("bert.pooler.dense.bias")));
        }
    }

    @Test
    void shardedCheckpointsListAllMissingToo() {
        Path model = new CheckpointDirBuilder()
                .shard("a.safetensors", new SafetensorsFileBuilder().f32("x", new long[] {1}, 1))
                .shard("b.safetensors", new SafetensorsFileBuilder().f32("y", new long[] {1}, 2))
                .write(dir.resolve("m"));
        try (HfCheckpoint ck = HfCheckpoint.open(model)) {
            assertNamed(() -> ck.tensors().requireAll(List.of("x", "p", "y", "q")),
                    model.resolve(HfCheckpoint.INDEX), null, "2 tensor(s)", "[p, q]");
        }
    }

    @Test
    void aNeededTensorInAnUnreadDtypeIsNamedWithItsDtype() {
        Path model = new CheckpointDirBuilder()
                .shard("a.safetensors", new SafetensorsFileBuilder().f32("x", new long[] {1}, 1)
                        .raw("ids", "I32", new long[] {1}, new byte[4]))
                .write(dir.resolve("m"));
        try (HfCheckpoint ck = HfCheckpoint.open(model)) {
            assertNamed(() -> ck.tensors().requireAll(List.of("x", "ids")), model.resolve(HfCheckpoint.INDEX),
                    null, "ids (I32");
        }
    }
}
