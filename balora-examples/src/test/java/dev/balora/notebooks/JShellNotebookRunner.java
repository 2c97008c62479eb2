package dev.balora.notebooks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Runs a notebook's code cells in order in a fresh JShell (its own JVM, like a kernel), with the test class path;
 * lines starting with {@code %} (kernel magics) are skipped. The first failing snippet ends the run with an
 * {@link AssertionError} naming the cell and quoting JShell's diagnostic or the exception.
 */
final class JShellNotebookRunner {
    private final List<String> classPath;
    private final List<String> vmOptions;

    JShellNotebookRunner(List<String> classPath, List<String> vmOptions) {
        this.classPath = List.copyOf(classPath);
        this.vmOptions = List.copyOf(vmOptions);
    }

    /**
     * The class path the notebooks get: {@code -Dbalora.notebooks.classpath} when set (e.g. the shaded
     * {@code target/balora.jar}, as a notebook user's {@code %jars} gives it), else this test JVM's (Surefire passes
     * it in a property when it runs tests from a manifest jar).
     */
    static List<String> notebookClassPath() {
        String cp = System.getProperty("balora.notebooks.classpath");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("surefire.test.class.path");
        }
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> out = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(entry);
            }
        }
        return out;
    }

    /** The code a notebook user's kernel would compile: the cell without its magic lines. */
    static String withoutMagics(String cell) {
        return cell.lines().filter(line -> !line.stripLeading().startsWith("%"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * Runs every code cell.
     *
     * @return what the cells printed
     * @throws AssertionError at the first snippet that is rejected, stays unresolved or throws
     */
    String run(Notebook notebook) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (JShell shell = JShell.builder().out(out).err(out).remoteVMOptions(vmOptions.toArray(String[]::new))
                .build()) {
            classPath.forEach(shell::addToClasspath);
            int codeIndex = 0;
            for (Notebook.Cell cell : notebook.codeCells()) {
                codeIndex++;
                String where = notebook.file().getFileName() + ", code cell " + codeIndex + " (cell " + cell.index()
                        + " of the notebook)";
                long t0 = System.nanoTime();
                runCell(shell, withoutMagics(cell.source()), where, printed);
                out.printf("[code cell %d: %.1f s]%n", codeIndex, (System.nanoTime() - t0) / 1e9);
            }
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static void runCell(JShell shell, String source, String where, ByteArrayOutputStream printed) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = source;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == Completeness.EMPTY) {
                return; // only comments are left
            }
            if (!info.completeness().isComplete()) {
                throw new AssertionError(where + " ends inside an unfinished snippet (" + info.completeness()
                        + "):\n" + rest.strip());
            }
            String snippet = info.source();
            for (SnippetEvent event : shell.eval(snippet)) {
                check(shell, event, snippet, where, printed);
            }
            rest = info.remaining();
        }
    }

    private static void check(JShell shell, SnippetEvent event, String snippet, String where,
            ByteArrayOutputStream printed) {
        if (event.exception() != null) {
            throw new AssertionError(where + " threw " + describe(event.exception()) + "\nin snippet:\n"
                    + snippet.strip() + "\noutput so far:\n" + tail(printed));
        }
        // Events caused by another snippet (e.g. a replaced declaration) report on that one, not on this code.
        if (event.causeSnippet() != null) {
            return;
        }
        Snippet.Status status = event.status();
        if (status != Snippet.Status.VALID) {
            String diagnostics = shell.diagnostics(event.snippet())
                    .map(d -> diagnostic(d, snippet)).collect(Collectors.joining("\n"));
            if (diagnostics.isEmpty() && status.isDefined()) {
                diagnostics = "unresolved: " + shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet)
                        event.snippet()).collect(Collectors.joining(", "));
            }
            throw new AssertionError(where + ": JShell says " + status + "\n" + diagnostics + "\nin snippet:\n"
                    + snippet.strip());
        }
    }

    private static String diagnostic(Diag d, String snippet) {
        int at = (int) Math.max(0, Math.min(snippet.length(), d.getStartPosition()));
        int lineStart = snippet.lastIndexOf('\n', at - 1) + 1;
        int lineEnd = snippet.indexOf('\n', at);
        String line = snippet.substring(lineStart, lineEnd < 0 ? snippet.length() : lineEnd);
        return (d.isError() ? "error: " : "warning: ") + d.getMessage(Locale.ROOT) + "\n  at: " + line.strip();
    }

    private static String describe(JShellException e) {
        StringBuilder sb = new StringBuilder();
        if (e instanceof EvalException ee) {
            sb.append(ee.getExceptionClassName()).append(": ").append(ee.getMessage());
        } else if (e instanceof UnresolvedReferenceException ure) {
            sb.append("an unresolved reference to ").append(ure.getSnippet().source().strip());
        } else {
            sb.append(e);
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            sb.append("\n    at ").append(frame);
        }
        Throwable cause = e.getCause();
        while (cause != null) {
            sb.append("\ncaused by ").append(cause instanceof EvalException ce
                    ? ce.getExceptionClassName() + ": " + ce.getMessage() : cause.toString());
            cause = cause.getCause();
        }
        return sb.toString();
    }

    private static String tail(ByteArrayOutputStream printed) {
        String s = printed.toString(StandardCharsets.UTF_8);
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
