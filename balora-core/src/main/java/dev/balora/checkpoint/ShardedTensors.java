package dev.balora.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tensors of a sharded checkpoint, following {@code model.safetensors.index.json}'s weight map. */
public final class ShardedTensors implements TensorSource {
    private final Path index;
    private final Map<String, SafetensorsFile> byTensor;
    private final List<SafetensorsFile> shards;

    private ShardedTensors(Path index, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    /**
     * Opens every shard named by an index file and checks that each tensor is where the index says.
     *
     * @param index the {@code *.safetensors.index.json} file
     * @return the combined tensors
     * @throws CheckpointException for a missing shard, an unreadable index or a tensor absent from its shard
     */
    public static ShardedTensors open(Path index) {
        JsonObject weightMap;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(index));
            weightMap = root.getAsJsonObject().getAsJsonObject("weight_map");
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(index, null, "cannot read the shard index: " + e.getMessage(), e);
        }
        if (weightMap == null) {
            throw new CheckpointException(index, null, "shard index has no \"weight_map\" object");
        }
        Map<String, SafetensorsFile> files = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : weightMap.entrySet()) {
                String shardName = e.getValue().getAsString();
                SafetensorsFile shard = files.get(shardName);
                if (shard == null) {
                    Path shardPath = index.resolveSibling(shardName);
                    if (!Files.isRegularFile(shardPath)) {
                        throw new CheckpointException(index, e.getKey(), "shard " + shardPath + " is missing");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    files.put(shardName, shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new CheckpointException(shard.path(), e.getKey(),
                            "the index places this tensor in this shard, but the shard does not hold it");
                }
                byTensor.put(e.getKey(), shard);
            }
        } catch (RuntimeException e) {
            files.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new ShardedTensors(index, Collections.unmodifiableMap(byTensor),
                List.copyOf(new ArrayList<>(files.values())));
    }

    @Override
    public String location() {
        return index.toString();
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    private SafetensorsFile shardOf(String name) {
        SafetensorsFile shard = byTensor.get(name);
        if (shard == null) {
            throw new CheckpointException(index, name, "no such tensor in the shard index");
        }
        return shard;
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    @Override
    public float[] readFloats(String name) {
        return shardOf(name).readFloats(name);
    }

    @Override
    public ai.djl.ndarray.NDArray load(String name, ai.djl.ndarray.NDManager manager) {
        return shardOf(name).load(name, manager);
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }
}
