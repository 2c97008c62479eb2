package dev.balora.app;

import dev.balora.compare.CompareMarkdown;
import dev.balora.compare.CompareReport;
import dev.balora.compare.Comparison;
import dev.balora.compare.MethodSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code balora compare}: several methods over several seeds on one task, each run through the recipe, then the
 * mean, std and 95 % CI per method and paired differences against a baseline; resumable.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Compare methods over seeds on one task: every (method, seed) is a finetune run under "
                + "OUT/runs/; then OUT/compare.json, OUT/compare.md (mean, std, 95 % CI, paired differences against "
                + "the baseline with a paired t-test and a paired bootstrap) and OUT/compare.png.",
            "Rerun the same command to continue a killed comparison: finished runs are read back, a killed one "
                    + "continues from its checkpoints."})
public final class CompareCommand extends RecipeCommand implements Callable<Integer> {

    @ArgGroup(validate = false, heading = "%nComparison%n", order = 3)
    private Contest contest = new Contest();

    /** What is compared, over which seeds, and the learning-rate search. */
    static final class Contest {
        // Fields start at their defaultValue too: picocli leaves an unmatched @ArgGroup instance as it was built.
        @Option(names = "--methods", defaultValue = "lora,pissa,balora", split = ",", paramLabel = "METHOD[:PRESET]",
                description = "the contestants, e.g. lora,pissa,balora,balora:nlu-cyp-jlu-ai-hidden "
                        + "(default: ${DEFAULT-VALUE})")
        List<String> methods = List.of("lora", "pissa", "balora");

        @Option(names = "--baseline", description = "the method the others are paired against (default: the first)")
        String baseline;

        @Option(names = "--seeds", defaultValue = "3", paramLabel = "N|S1,S2,...",
                description = "a number of seeds (1..N) or a comma-separated list (default: ${DEFAULT-VALUE})")
        String seeds = "3";

        @Option(names = "--lr-grid", split = ",", paramLabel = "LR",
                description = "learning rates searched per method (first seed, --grid-train-limit examples) "
                        + "against the evaluation set before the seeds run; the choice is recorded")
        List<Double> lrGrid;

        @Option(names = "--grid-train-limit", defaultValue = "256",
                description = "training examples of a search run (default: ${DEFAULT-VALUE})")
        int gridTrainLimit = 256;

        @Option(names = "--grid-max-steps", defaultValue = "0",
                description = "optimizer steps of a search run, 0 = the runs' own budget (default: ${DEFAULT-VALUE})")
        int gridMaxSteps;

        @Option(names = "--checkpoint-every", defaultValue = "0",
                description = "checkpoint each run every N steps as well as at epoch ends, so a killed comparison "
                        + "loses less (default: ${DEFAULT-VALUE})")
        int checkpointEvery;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "the comparison folder")
        Path out;
    }

    @Override
    public Integer call() {
        if (contest.out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        List<MethodSpec> methods = contest.methods.stream().map(MethodSpec::parse).toList();
        Comparison.Builder b = Comparison.builder().setModel(model.model()).optDevice(model.device())
                .setTask(data.settings()).setMethods(methods).optSeeds(seeds(contest.seeds))
                .optAdapter(adapter.settings()).optOptimization(optimization.settings(null, contest.checkpointEvery))
                .optGridTrainLimit(contest.gridTrainLimit).optGridMaxSteps(contest.gridMaxSteps)
                .setOutput(contest.out).optProgress(line -> System.err.println("compare: " + line));
        if (contest.baseline != null) {
            b.optBaseline(contest.baseline);
        }
        if (contest.lrGrid != null) {
            b.optLearningRateGrid(contest.lrGrid);
        }
        ProgressPrinter progress = ProgressPrinter.forStderr();
        if (progress != null) {
            b.optListener(progress);
        }
        CompareReport report = b.build().run();
        System.err.print(CompareMarkdown.render(report));
        // compare.json itself, on one line.
        String written;
        try {
            written = java.nio.file.Files.readString(contest.out.resolve("compare.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        printResult(new com.google.gson.GsonBuilder().serializeNulls().create()
                .toJson(com.google.gson.JsonParser.parseString(written)));
        return 0;
    }

    /** {@code N} means seeds 1..N; a list names them. */
    static List<Long> seeds(String value) {
        String v = value.trim();
        try {
            if (!v.contains(",")) {
                int n = Integer.parseInt(v);
                if (n < 1) {
                    throw new IllegalArgumentException("--seeds must be >= 1, got " + n);
                }
                return LongStream.rangeClosed(1, n).boxed().toList();
            }
            List<Long> out = new ArrayList<>();
            for (String s : v.split(",")) {
                out.add(Long.parseLong(s.trim()));
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds takes a count or a comma-separated list of integers, got '"
                    + value + "'", e);
        }
    }
}
