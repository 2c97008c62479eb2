package dev.balora.app;

import dev.balora.train.EvalRecord;
import dev.balora.train.StepRecord;
import dev.balora.train.TrainingListener;
import dev.balora.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training progress on stderr: a redrawn bar (step, epoch, loss, tokens/s, ETA) when stderr is a terminal, plain
 * lines every 5 % of the run (or every 30 s) when it is not. stdout is left to the command's JSON.
 */
final class ProgressPrinter implements TrainingListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LINE_NANOS = 30_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final boolean bar;
    private int total;
    private int start;
    private long startedNanos;
    private long lastDrawNanos;
    private int lastLineStep;
    private double tokensPerSecond;
    private boolean drawn;

    ProgressPrinter(PrintStream err, boolean bar) {
        this.err = err;
        this.bar = bar;
    }

    /**
     * The progress listener for this process, or null when {@code DJL_DISABLE_PROGRESS_BAR=true} asks for none.
     */
    static ProgressPrinter forStderr() {
        return enabled() ? new ProgressPrinter(System.err, stderrIsTerminal()) : null;
    }

    /** False when {@code DJL_DISABLE_PROGRESS_BAR=true} (environment or system property) asks for no progress. */
    static boolean enabled() {
        String off = System.getenv("DJL_DISABLE_PROGRESS_BAR");
        if (off == null) {
            off = System.getProperty("DJL_DISABLE_PROGRESS_BAR");
        }
        return !Boolean.parseBoolean(off);
    }

    /** Whether file descriptor 2 is a terminal (Linux: /proc/self/fd/2 points at a tty or pty). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void onTrainingStart(int totalSteps, int startStep) {
        total = totalSteps;
        start = startStep;
        lastLineStep = startStep;
        startedNanos = System.nanoTime();
        // A bar draws at once; plain lines wait for their first 5 % (or 30 s).
        lastDrawNanos = bar ? 0 : startedNanos;
        if (!bar) {
            err.printf(Locale.ROOT, "training: %d steps%s%n", totalSteps,
                    startStep > 0 ? ", resuming after step " + startStep : "");
        }
    }

    @Override
    public void onStep(StepRecord r) {
        long now = System.nanoTime();
        tokensPerSecond = tokensPerSecond == 0 ? r.tokensPerSecond() : 0.8 * tokensPerSecond + 0.2 * r.tokensPerSecond();
        boolean last = r.step() >= total;
        if (bar) {
            if (last || now - lastDrawNanos >= REDRAW_NANOS) {
                err.print("\r" + line(r, now) + "\u001b[K");
                err.flush();
                drawn = true;
                lastDrawNanos = now;
            }
        } else if (last || r.step() - lastLineStep >= Math.max(1, total / 20) || now - lastDrawNanos >= LINE_NANOS) {
            err.println(line(r, now));
            lastLineStep = r.step();
            lastDrawNanos = now;
        }
    }

    @Override
    public void onEvaluation(EvalRecord r) {
        String text = String.format(Locale.ROOT, "evaluation at step %d: %s", r.step(), r.metrics());
        if (bar && drawn) {
            err.print("\r\u001b[K");
        }
        err.println(text);
        if (bar) {
            lastDrawNanos = 0; // redraw the bar below the evaluation line at the next step
        }
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        if (bar && drawn) {
            err.println();
        }
    }

    /** One progress line: bar (terminal only), step/total, epoch, loss, tokens/s, ETA. */
    String line(StepRecord r, long now) {
        double done = total == 0 ? 1 : (double) r.step() / total;
        double elapsed = (now - startedNanos) / 1e9;
        int stepsHere = r.step() - start;
        double eta = stepsHere <= 0 ? Double.NaN : elapsed / stepsHere * (total - r.step());
        StringBuilder sb = new StringBuilder();
        if (bar) {
            int filled = (int) Math.round(done * BAR_WIDTH);
            sb.append('[').append("=".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("] ");
        }
        sb.append(String.format(Locale.ROOT, "step %d/%d (%.0f%%) epoch %d loss %s %,.0f tok/s ETA %s", r.step(),
                total, 100 * done, r.epoch(), Double.isFinite(r.loss()) ? String.format(Locale.ROOT, "%.4f", r.loss())
                        : "skipped", tokensPerSecond, duration(eta)));
        return sb.toString();
    }

    /** Seconds as 1h02m, 3m07s or 12s. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
