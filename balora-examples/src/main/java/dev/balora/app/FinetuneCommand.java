package dev.balora.app;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code balora finetune}: LoRA, PiSSA or BA-LoRA on a GLUE task; prints the run's summary JSON. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a BERT encoder on a GLUE task with LoRA, PiSSA or BA-LoRA.",
            "Writes the PEFT adapter, the converted LoRA adapter, metrics.jsonl, loss-curve.png, checkpoints and "
                    + "summary.json to --out; prints the summary."})
public final class FinetuneCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FinetuneCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR|NAME", defaultValue = ModelResolver.DEFAULT_MODEL,
            description = "a model directory or an embedded model (default: ${DEFAULT-VALUE})")
    private String model;

    @Option(names = "--task", paramLabel = "TASK",
            description = "sst2, cola, mrpc, qqp, stsb, mnli, qnli, rte or wnli")
    private String task;

    @Option(names = "--data", paramLabel = "DIR",
            description = "the task's folder (train.tsv, dev.tsv) or the GLUE root holding it")
    private Path data;

    @Option(names = "--method", defaultValue = "balora", paramLabel = "lora|pissa|balora",
            description = "adapter init and objective (default: ${DEFAULT-VALUE})")
    private String method;

    @Option(names = "--out", paramLabel = "DIR", description = "the output folder")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the checkpointed run in this --out folder with its saved settings "
                    + "(other options are ignored)")
    private Path resume;

    @Option(names = "--preset", defaultValue = "nlu-cyp-jlu-ai", paramLabel = "NAME",
            description = "BA-LoRA weights: nlu-cyp-jlu-ai, nlu-early-script, or either with -hidden (consistency on "
                    + "the pooled hidden states, for a new head) (default: ${DEFAULT-VALUE})")
    private String preset;

    @Option(names = "--targets", defaultValue = "all-linear", paramLabel = "all-linear|NAMES",
            description = "modules that get adapters, e.g. query,value (default: ${DEFAULT-VALUE})")
    private String targets;

    @Option(names = "--pooling", defaultValue = "auto", paramLabel = "auto|pooler|mean|cls",
            description = "what the classifier head reads: the BERT pooler, or the mean / first token state; auto = "
                    + "the pooler when the checkpoint has a trained one, else the mean (default: ${DEFAULT-VALUE})")
    private String pooling;

    @Option(names = "--rank", defaultValue = "8", description = "adapter rank r (default: ${DEFAULT-VALUE})")
    private int rank;

    @Option(names = "--alpha", defaultValue = "16", description = "adapter alpha (default: ${DEFAULT-VALUE})")
    private double alpha;

    @Option(names = "--lora-dropout", defaultValue = "0", description = "adapter dropout (default: ${DEFAULT-VALUE})")
    private double loraDropout;

    @Option(names = "--lr", defaultValue = "5e-4", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    private float lr;

    @Option(names = "--schedule", defaultValue = "linear", paramLabel = "constant|linear|cosine",
            description = "decay after warm-up (default: ${DEFAULT-VALUE})")
    private String schedule;

    @Option(names = "--warmup-ratio", defaultValue = "0.06",
            description = "warm-up fraction of all steps (default: ${DEFAULT-VALUE})")
    private double warmupRatio;

    @Option(names = "--weight-decay", defaultValue = "0.01",
            description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    private float weightDecay;

    @Option(names = "--epochs", defaultValue = "3", description = "epochs (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--max-steps", defaultValue = "-1",
            description = "optimizer steps, overriding --epochs (default: ${DEFAULT-VALUE} = full epochs)")
    private int maxSteps;

    @Option(names = "--batch-size", defaultValue = "32",
            description = "examples per micro-batch (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--grad-accum", defaultValue = "1",
            description = "micro-batches per optimizer step (default: ${DEFAULT-VALUE})")
    private int gradAccum;

    @Option(names = "--max-grad-norm", defaultValue = "1.0",
            description = "global-norm clipping, 0 = off (default: ${DEFAULT-VALUE})")
    private double maxGradNorm;

    @Option(names = "--eval-every", defaultValue = "0",
            description = "evaluate every N steps; epoch ends and the last step always (default: ${DEFAULT-VALUE})")
    private int evalEvery;

    @Option(names = "--checkpoint-every", defaultValue = "0",
            description = "checkpoint every N steps; epoch ends and the last step always (default: ${DEFAULT-VALUE})")
    private int checkpointEvery;

    @Option(names = "--max-length", defaultValue = "128",
            description = "tokens per example, special tokens included (default: ${DEFAULT-VALUE})")
    private int maxLength;

    @Option(names = "--train-limit", defaultValue = "0",
            description = "use only the first N training rows, 0 = all (default: ${DEFAULT-VALUE})")
    private int trainLimit;

    @Option(names = "--dev-limit", defaultValue = "0",
            description = "use only the first N dev rows, 0 = all (default: ${DEFAULT-VALUE})")
    private int devLimit;

    @Option(names = "--bad-rows", defaultValue = "fail", paramLabel = "fail|skip",
            description = "a malformed data row stops the run, or is skipped with a warning naming file and line "
                    + "(default: ${DEFAULT-VALUE})")
    private String badRows;

    @Option(names = "--pissa-niter", defaultValue = "0",
            description = "PiSSA/BA-LoRA init by a randomized SVD with N subspace iterations; 0 = exact SVD "
                    + "(default: ${DEFAULT-VALUE})")
    private int pissaNiter;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() {
        FineTuneSpec run;
        if (resume != null) {
            run = FineTuneSpec.load(resume).withOut(resume);
            LOG.warn("resuming {}: settings come from its {}", resume, FineTuneSpec.FILE);
        } else {
            run = new FineTuneSpec(model, task, data == null ? null : data.toString(), method, preset, targets,
                    pooling, rank, alpha, loraDropout, lr, schedule, warmupRatio, weightDecay, epochs, maxSteps,
                    batchSize, gradAccum, maxGradNorm, evalEvery, checkpointEvery, maxLength, trainLimit, devLimit,
                    badRows, pissaNiter, seed, out == null ? null : out.toString());
        }
        JsonObject summary = FineTuneJob.run(run, resume != null);
        spec.commandLine().getOut().println(new GsonBuilder().setPrettyPrinting().create().toJson(summary));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
