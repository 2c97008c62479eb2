package dev.balora.recipe;

import ai.djl.engine.Engine;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.balora.checkpoint.AtomicFiles;
import dev.balora.checkpoint.HfCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * {@code run.json}: the resolved {@link RecipeSettings} of a run, the versions it ran with (balora, DJL, libtorch,
 * Java) and the SHA-256 of the model's config.json, so that a resume can refuse a different model.
 */
public final class RunFile {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private RunFile() {}

    /**
     * Writes run.json atomically.
     *
     * @param layout the run folder
     * @param settings the resolved settings
     * @param modelDir the model directory (its config.json is hashed)
     */
    static void write(RunLayout layout, RecipeSettings settings, Path modelDir) {
        JsonObject o = new JsonObject();
        o.add("settings", GSON.toJsonTree(settings));
        o.addProperty("model_directory", modelDir.toAbsolutePath().toString());
        o.addProperty("model_config_sha256", configHash(modelDir));
        o.add("versions", versions());
        AtomicFiles.writeString(layout.runFile(), GSON.toJson(o) + "\n");
    }

    /**
     * Reads the settings of an earlier run.
     *
     * @throws IllegalArgumentException when the folder holds no readable run.json
     */
    public static RecipeSettings read(Path runDir) {
        return GSON.fromJson(object(runDir).get("settings"), RecipeSettings.class);
    }

    /** The config hash an earlier run recorded. */
    static String recordedConfigHash(Path runDir) {
        JsonObject o = object(runDir);
        return o.has("model_config_sha256") ? o.get("model_config_sha256").getAsString() : null;
    }

    private static JsonObject object(Path runDir) {
        Path file = new RunLayout(runDir).runFile();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--resume " + runDir + ": no " + RunLayout.RUN + " there; give the "
                    + "--out folder of an earlier finetune run");
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (!o.has("settings") || !o.get("settings").isJsonObject()) {
                throw new IllegalArgumentException(file + " holds no \"settings\" object: not a run file of this "
                        + "balora version");
            }
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a valid run file: " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of a model directory's config.json, hex. */
    static String configHash(Path modelDir) {
        try {
            byte[] bytes = Files.readAllBytes(modelDir.resolve(HfCheckpoint.CONFIG));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelDir.resolve(HfCheckpoint.CONFIG) + ": "
                    + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** balora, DJL, libtorch and Java versions. */
    static JsonObject versions() {
        JsonObject v = new JsonObject();
        v.addProperty("balora", baloraVersion());
        v.addProperty("djl", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        v.addProperty("engine", engine.getEngineName());
        v.addProperty("libtorch", engine.getVersion());
        v.addProperty("java", System.getProperty("java.version"));
        return v;
    }

    /** The version Maven wrote into the recipe's resources. */
    public static String baloraVersion() {
        try (InputStream in = RunFile.class.getResourceAsStream("balora-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
