package dev.balora.checkpoint;

import static dev.balora.checkpoint.CheckpointAssertions.assertNamed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.djl.ndarray.NDManager;
import dev.balora.fixtures.CheckpointDirBuilder;
import dev.balora.fixtures.SafetensorsFileBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint split into shards behind {@code model.safetensors.index.json} loads like one file, with tensors
 * of different dtypes in different shards; an index that lies (missing shard, tensor not in its shard, shard
 * outside the directory) is a clear error naming the index or shard and the tensor.
 */
class ShardedCheckpointsLoad {
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    private static CheckpointDirBuilder twoShards() {
        return new CheckpointDirBuilder()
                .config("{\"model_type\": \"llama\", \"hidden_size\": 4}")
                .shard(SHARD1, new SafetensorsFileBuilder()
                        .f32("embed.weight", new long[] {2, 2}, 1, -2, 3.5f, 4)
                        .bf16("layers.0.w", new long[] {3}, 1.5f, -0.25f, 96f))
                .shard(SHARD2, new SafetensorsFileBuilder()
                        .f16("layers.1.w", new long[] {2}, 0.5f, -1024f)
                        .f32("norm.weight", new long[] {1}, 7));
    }

    @Test
    void shardsReadAsOneCheckpoint() {
        Path model = twoShards().write(dir.resolve("m"));
        try (HfCheckpoint ck = HfCheckpoint.open(model); NDManager m = NDManager.newBaseManager()) {
            TensorSource t = ck.tensors();
            assertInstanceOf(ShardedTensors.class, t);
            assertEquals(Set.of("embed.weight", "layers.0.w", "layers.1.w", "norm.weight"), t.names());
            assertEquals(2, ((ShardedTensors) t).shards().size());
            assertArrayEquals(new float[] {1, -2, 3.5f, 4}, t.load("embed.weight", m, 2, 2).toFloatArray());
            assertArrayEquals(new float[] {1.5f, -0.25f, 96f}, t.load("layers.0.w", m, 3).toFloatArray());
            assertArrayEquals(new float[] {0.5f, -1024f}, t.readFloats("layers.1.w"));
            assertArrayEquals(new float[] {7}, t.readFloats("norm.weight"));
            assertEquals(DType.BF16, t.info("layers.0.w").dtype());
            assertEquals("llama", ck.modelType());
        }
    }

    @Test
    void missingShardIsNamed() {
        Path model = twoShards().omitShardFile(SHARD2).write(dir.resolve("m"));
        Path index = model.resolve(HfCheckpoint.INDEX);
        assertNamed(() -> HfCheckpoint.open(model), index, "layers.1.w", SHARD2, "missing");
    }

    @Test
    void tensorMissingFromItsShardIsNamed() {
        Path model = twoShards().indexEntry("lm_head.weight", SHARD1).write(dir.resolve("m"));
        assertNamed(() -> HfCheckpoint.open(model), model.resolve(SHARD1), "lm_head.weight",
                "does not hold it");
    }

    @Test
    void shardOutsideTheDirectoryIsRefused() {
        Path model = twoShards().indexEntry("norm.weight", "../elsewhere.safetensors").write(dir.resolve("m"));
        assertNamed(() -> HfCheckpoint.open(model), model.resolve(HfCheckpoint.INDEX), "norm.weight", "outside");
    }

    @Test
    void indexWithoutWeightMapIsRefused() throws Exception {
        Path model = twoShards().write(dir.resolve("m"));
        Path index = model.resolve(HfCheckpoint.INDEX);
        Files.writeString(index, "{\"metadata\": {}}");
        assertNamed(() -> HfCheckpoint.open(model), index, null, "weight_map");
    }

    @Test
    void weightMapEntryThatIsNotAFileNameIsRefused() throws Exception {
        Path model = twoShards().write(dir.resolve("m"));
        Path index = model.resolve(HfCheckpoint.INDEX);
        Files.writeString(index, "{\"weight_map\": {\"norm.weight\": 2}}");
        assertNamed(() -> HfCheckpoint.open(model), index, "norm.weight", "shard file");
    }

    @Test
    void shardNameThatIsNoPathIsRefused() throws Exception {
        Path model = twoShards().write(dir.resolve("m"));
        Path index = model.resolve(HfCheckpoint.INDEX);
        Files.writeString(index, "{\"weight_map\": {\"norm.weight\": \"bad\\u0000name\"}}");
        assertNamed(() -> HfCheckpoint.open(model), index, null, "cannot use the shard index");
    }

    @Test
    void malformedShardIsNamed() {
        Path model = new CheckpointDirBuilder()
                .shard(SHARD1, new SafetensorsFileBuilder().f32("a", new long[] {1}, 1))
                .shard(SHARD2, new SafetensorsFileBuilder().f32("b", new long[] {2}, 1, 2).truncate(4))
                .write(dir.resolve("m"));
        assertNamed(() -> HfCheckpoint.open(model), model.resolve(SHARD2), "b", "truncated");
    }

    @Test
    void tensorsOfAShardThatTheIndexDoesNotListAreNotOffered() {
        // Such a tensor can only come from a stale shard; the index is the authority.
        Path model = new CheckpointDirBuilder()
                .shard(SHARD1, new SafetensorsFileBuilder().f32("a", new long[] {1}, 1).f32("stale", new long[] {1}, 9))
                .omitIndexEntry("stale")
                .write(dir.resolve("m"));
        Path index = model.resolve(HfCheckpoint.INDEX);
        try (ShardedTensors t = ShardedTensors.open(index)) {
            assertEquals(List.of("a"), List.copyOf(t.names()));
            assertNamed(() -> t.readFloats("stale"), index, "stale", "no such tensor");
        }
    }
}
