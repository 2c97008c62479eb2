package dev.balora.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code balora.jar}: dispatches to one subcommand per task; results on stdout, logs on stderr. */
@Command(
        name = "balora",
        mixinStandardHelpOptions = true,
        version = "balora 0.1.0",
        description = "BA-LoRA / PiSSA fine-tuning for the JVM.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ImportOnnxCommand.class,
            EmbedCommand.class,
            LogitsCommand.class,
            GenerateCommand.class,
            AdaptCommand.class,
            ExportCommand.class,
            MergeCommand.class,
            FinetuneCommand.class,
            EvalCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            CompareCommand.class,
            NlgEval.class,
        })
public final class BaloraApp implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    /**
     * Runs the app.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the app and returns the exit code instead of exiting (for tests). */
    public static int execute(String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains(VerboseOption.NAME) || Boolean.getBoolean("balora.debug");
        OfflineDefaults.apply(verbose);
        CommandLine cli = new CommandLine(new BaloraApp());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("balora " + cmd.getCommandName() + ": " + ex.getMessage());
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cli.execute(NlgRouting.route(args));
    }
}
