package dev.balora.app;

import dev.balora.recipe.ModelResolver;
import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.balora.adapter.peft.PeftAdapter;
import dev.balora.model.bert.Pooling;
import dev.balora.model.bert.SentenceEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code balora embed}: prints sentence embeddings (not normalised) as {@code {"embeddings": [[...], ...]}}. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed sentences with a BERT encoder; prints {\"embeddings\": [[...], ...]}.")
public final class EmbedCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|NAME", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "a model directory or an embedded model (default: ${DEFAULT-VALUE})")
    private String model;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "a sentence (repeatable)")
    private List<String> texts;

    @Option(names = "--pooling", defaultValue = "mean", paramLabel = "mean|cls",
            description = "how tokens are pooled (default: ${DEFAULT-VALUE})")
    private String pooling;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "a PEFT adapter directory to apply (for PiSSA: with --model its residual)")
    private Path adapter;

    @Override
    public Integer call() {
        Pooling pool = Pooling.parse(pooling);
        float[][] vectors;
        try (SentenceEncoder encoder = SentenceEncoder.open(ModelResolver.resolve(model), Device.cpu())) {
            if (adapter != null) {
                PeftAdapter.load(encoder.model(), adapter);
            }
            vectors = encoder.embed(texts, pool);
        }
        JsonObject out = new JsonObject();
        out.add("embeddings", new Gson().toJsonTree(vectors));
        spec.commandLine().getOut().println(new Gson().toJson(out));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
