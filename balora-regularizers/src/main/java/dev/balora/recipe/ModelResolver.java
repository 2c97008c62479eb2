package dev.balora.recipe;

import dev.balora.checkpoint.HfCheckpoint;
import dev.balora.onnx.EmbeddedModel;
import dev.balora.onnx.OnnxImport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a command's {@code --model} value into a Hugging Face model directory: either a directory given by path,
 * or the name of an embedded model ({@code all-minilm-l6-v2}), imported once into the cache.
 *
 * <p>The cache is {@code -Dbalora.cache}, else {@code $BALORA_CACHE}, else {@code ~/.cache/balora}. An import is
 * written to a temporary sibling and renamed into place, so a half-written model is never seen.
 */
public final class ModelResolver {
    /** The model commands use when none is given. */
    public static final String DEFAULT_MODEL = "all-minilm-l6-v2"; // EmbeddedModel.ALL_MINILM_L6_V2

    private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);

    private ModelResolver() {}

    /**
     * Resolves a {@code --model} value.
     *
     * @param spec a model directory or an embedded model name
     * @return a directory holding config.json and the weights
     * @throws IllegalArgumentException when the value is neither
     */
    public static Path resolve(String spec) {
        Path asPath = Paths.get(spec);
        if (Files.isDirectory(asPath)) {
            if (!Files.isRegularFile(asPath.resolve(HfCheckpoint.CONFIG))) {
                throw new IllegalArgumentException("model directory " + asPath + " has no " + HfCheckpoint.CONFIG);
            }
            return asPath;
        }
        if (EmbeddedModel.isKnown(spec)) {
            return embedded(EmbeddedModel.byId(spec));
        }
        throw notAModel(spec);
    }

    /**
     * The {@code model_type} a {@code --model} value names, read from config.json (embedded models are BERT
     * encoders), without importing anything.
     *
     * @throws IllegalArgumentException when the value is neither a model directory nor an embedded model
     */
    public static String modelType(String spec) {
        Path asPath = Paths.get(spec);
        if (Files.isDirectory(asPath)) {
            Path config = asPath.resolve(HfCheckpoint.CONFIG);
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("model directory " + asPath + " has no " + HfCheckpoint.CONFIG);
            }
            com.google.gson.JsonElement type = HfCheckpoint.readConfig(config).get("model_type");
            if (type == null || !type.isJsonPrimitive()) {
                throw new IllegalArgumentException(config + " has no model_type string; supported: "
                        + dev.balora.model.ModelRegistry.supportedTypes());
            }
            return type.getAsString();
        }
        if (EmbeddedModel.isKnown(spec)) {
            return "bert";
        }
        throw notAModel(spec);
    }

    private static IllegalArgumentException notAModel(String spec) {
        return new IllegalArgumentException("--model " + spec + " is neither a model directory nor an embedded "
                + "model (" + DEFAULT_MODEL + ", " + EmbeddedModel.BGE_SMALL_EN_V15.id() + ")");
    }

    /** The cache directory for imported models. */
    public static Path cacheRoot() {
        String prop = System.getProperty("balora.cache");
        if (prop == null || prop.isBlank()) {
            prop = System.getenv("BALORA_CACHE");
        }
        if (prop == null || prop.isBlank()) {
            return Paths.get(System.getProperty("user.home"), ".cache", "balora");
        }
        return Paths.get(prop);
    }

    /** The directory of an embedded model, importing it from the class path on first use. */
    public static Path embedded(EmbeddedModel model) {
        Path target = cacheRoot().resolve(model.id());
        if (Files.isRegularFile(target.resolve(HfCheckpoint.CONFIG))) {
            return target;
        }
        LOG.info("importing {} into {}", model.id(), target);
        Path tmp = null;
        try {
            Files.createDirectories(cacheRoot());
            tmp = Files.createTempDirectory(cacheRoot(), "." + model.id() + ".tmp-");
            OnnxImport.fromClasspath(model.id()).writeTo(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            tmp = null;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Another process finished the same import first; its copy is as good as ours.
            LOG.debug("{} appeared while importing; keeping it", target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + model.id() + " into " + target + ": " + e.getMessage(),
                    e);
        } finally {
            deleteQuietly(tmp);
        }
        if (!Files.isRegularFile(target.resolve(HfCheckpoint.CONFIG))) {
            throw new IllegalStateException(target + " exists but holds no " + HfCheckpoint.CONFIG
                    + "; remove it and retry");
        }
        return target;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover hidden temporary directory is harmless
        }
    }
}
