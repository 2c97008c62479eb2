package dev.balora.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tensors of a sharded checkpoint, following {@code model.safetensors.index.json}'s weight map. */
public final class ShardedTensors implements TensorSource {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedTensors.class);

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
            JsonElement root = JsonText.parse(Files.readString(index), false);
            weightMap = root.getAsJsonObject().getAsJsonObject("weight_map");
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(index, null, "cannot read the shard index: " + e.getMessage(), e);
        }
        if (weightMap == null) {
            throw new CheckpointException(index, null, "shard index has no \"weight_map\" object");
        }
        Path directory = index.toAbsolutePath().normalize().getParent();
        Map<String, SafetensorsFile> files = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : weightMap.entrySet()) {
                String tensor = e.getKey();
                JsonElement value = e.getValue();
                if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                    throw new CheckpointException(index, tensor, "weight_map must name a shard file, got " + value);
                }
                String shardName = value.getAsString();
                SafetensorsFile shard = files.get(shardName);
                if (shard == null) {
                    Path shardPath = index.resolveSibling(shardName);
                    if (!shardPath.toAbsolutePath().normalize().startsWith(directory)) {
                        throw new CheckpointException(index, tensor, "shard \"" + shardName
                                + "\" lies outside the checkpoint directory");
                    }
                    if (!Files.isRegularFile(shardPath)) {
                        throw new CheckpointException(index, tensor, "shard " + shardPath + " is missing");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    files.put(shardName, shard);
                }
                if (!shard.holds(tensor)) {
                    throw new CheckpointException(shard.path(), tensor,
                            "the index " + index.getFileName() + " places this tensor in this shard, but the shard "
                                    + "does not hold it");
                }
                if (shard.contains(tensor)) {
                    byTensor.put(tensor, shard);
                }
            }
        } catch (RuntimeException e) {
            closeAll(files.values(), e);
            if (e instanceof CheckpointException) {
                throw e;
            }
            // For example a shard name that is no valid path on this system.
            throw new CheckpointException(index, null, "cannot use the shard index: " + e.getMessage(), e);
        }
        for (SafetensorsFile shard : files.values()) {
            List<String> unlisted = new ArrayList<>();
            for (String name : shard.names()) {
                if (!byTensor.containsKey(name)) {
                    unlisted.add(name);
                }
            }
            if (!unlisted.isEmpty()) {
                LOG.warn("{}: shard {} holds {} tensor(s) the index does not list; they are ignored: {}", index,
                        shard.path().getFileName(), unlisted.size(), unlisted);
            }
        }
        return new ShardedTensors(index, Collections.unmodifiableMap(byTensor),
                List.copyOf(new ArrayList<>(files.values())));
    }

    private static void closeAll(Iterable<SafetensorsFile> files, RuntimeException primary) {
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (RuntimeException e) {
                primary.addSuppressed(e);
            }
        }
    }

    /** The shard files, in index order. */
    public List<SafetensorsFile> shards() {
        return shards;
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
            for (SafetensorsFile s : shards) {
                if (s.holds(name)) {
                    s.info(name); // explains why the tensor cannot be read
                }
            }
            throw new CheckpointException(index, name, "no such tensor in the shard index");
        }
        return shard;
    }

    @Override
    public void requireAll(Collection<String> required) {
        List<String> unreadable = new ArrayList<>();
        for (String name : required) {
            if (!byTensor.containsKey(name)) {
                for (SafetensorsFile s : shards) {
                    if (s.skipped().containsKey(name)) {
                        unreadable.add(name + " (" + s.skipped().get(name) + " in " + s.path().getFileName() + ")");
                    }
                }
            }
        }
        if (!unreadable.isEmpty()) {
            throw new CheckpointException(index, null, unreadable.size()
                    + " tensor(s) the model needs are stored in a dtype balora does not read: " + unreadable);
        }
        TensorSource.super.requireAll(required);
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
        RuntimeException first = null;
        for (SafetensorsFile shard : shards) {
            try {
                shard.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
