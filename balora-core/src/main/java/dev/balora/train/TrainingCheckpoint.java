package dev.balora.train;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.CheckpointException;
import dev.balora.checkpoint.InMemoryTensors;
import dev.balora.checkpoint.SafetensorsFile;
import dev.balora.checkpoint.SafetensorsWriter;
import dev.balora.checkpoint.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A training checkpoint folder: {@code trainable.safetensors} (only the trainable parameters, by state-dict key;
 * never the frozen base), {@code optimizer.safetensors} (AdamW moments) and {@code trainer_state.json}
 * ({@link TrainerState}). A checkpoint is written into a hidden temporary folder and renamed into place, then
 * {@code latest} is rewritten atomically, so a crash never leaves a half checkpoint behind as the latest one.
 */
public final class TrainingCheckpoint {
    /** Trainable parameters file. */
    public static final String TRAINABLE = "trainable.safetensors";
    /** Optimizer state file. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** Trainer state file. */
    public static final String STATE = "trainer_state.json";
    /** The file naming the latest checkpoint folder inside a checkpoints folder. */
    public static final String LATEST = "latest";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private TrainingCheckpoint() {}

    /**
     * Writes a checkpoint as {@code checkpoints/step-NNNNNNN} and points {@code latest} at it.
     *
     * @param checkpointsDir the folder holding the checkpoints
     * @param trainable trainable parameter values by state-dict key
     * @param optimizer the optimizer
     * @param state the trainer state
     * @param keep how many checkpoints to keep (oldest deleted first)
     * @return the new checkpoint folder
     */
    public static Path save(Path checkpointsDir, Map<String, NDArray> trainable, AdamW optimizer, TrainerState state,
            int keep) {
        String name = String.format("step-%07d", state.step());
        Path target = checkpointsDir.resolve(name);
        Path tmp = checkpointsDir.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(checkpointsDir);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            InMemoryTensors params = new InMemoryTensors("trainable parameters at step " + state.step());
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                params.put(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
            }
            SafetensorsWriter.write(tmp.resolve(TRAINABLE), params);
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER), optimizer.state());
            AtomicFiles.writeString(tmp.resolve(STATE), GSON.toJson(state));
            deleteTree(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            AtomicFiles.writeString(checkpointsDir.resolve(LATEST), name);
            prune(checkpointsDir, keep, name);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves a checkpoint folder: either a checkpoint itself, a checkpoints folder with a {@code latest} file,
     * or a run's output folder holding {@code checkpoints/latest}.
     *
     * @throws CheckpointException when none is found
     */
    public static Path resolve(Path dir) {
        if (Files.isRegularFile(dir.resolve(STATE))) {
            return dir;
        }
        for (Path base : List.of(dir, dir.resolve("checkpoints"))) {
            Path latest = base.resolve(LATEST);
            if (Files.isRegularFile(latest)) {
                try {
                    Path cp = base.resolve(Files.readString(latest, StandardCharsets.UTF_8).strip());
                    if (Files.isRegularFile(cp.resolve(STATE))) {
                        return cp;
                    }
                    throw new CheckpointException(latest.toString(), null, "points to " + cp
                            + ", which holds no " + STATE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + latest, e);
                }
            }
        }
        throw new CheckpointException(dir.toString(), null, "no training checkpoint here (expected " + STATE
                + ", or a '" + LATEST + "' file in it or in its checkpoints/ folder)");
    }

    /** Reads the trainer state of a checkpoint folder. */
    public static TrainerState readState(Path checkpoint) {
        Path file = checkpoint.resolve(STATE);
        try {
            TrainerState s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), TrainerState.class);
            if (s == null) {
                throw new CheckpointException(file.toString(), null, "empty trainer state");
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (com.google.gson.JsonParseException e) {
            throw new CheckpointException(file.toString(), null, "not a valid trainer state: " + e.getMessage());
        }
    }

    /** Opens the trainable parameters of a checkpoint folder. */
    public static TensorSource openTrainable(Path checkpoint) {
        return SafetensorsFile.open(checkpoint.resolve(TRAINABLE));
    }

    /** Opens the optimizer state of a checkpoint folder. */
    public static TensorSource openOptimizer(Path checkpoint) {
        return SafetensorsFile.open(checkpoint.resolve(OPTIMIZER));
    }

    private static void prune(Path dir, int keep, String newest) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("step-")).forEach(all::add);
        }
        all.sort(Comparator.comparing(p -> p.getFileName().toString()));
        int excess = all.size() - keep;
        for (int i = 0; i < all.size() && excess > 0; i++) {
            if (!all.get(i).getFileName().toString().equals(newest)) {
                deleteTree(all.get(i));
                excess--;
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> paths = s.sorted(Comparator.reverseOrder()).toList();
            for (Path q : paths) {
                Files.deleteIfExists(q);
            }
        }
    }
}
