package dev.balora.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.balora.fixtures.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook's code cells run, in order, through JShell with the module's class path (or
 * {@code -Dbalora.notebooks.classpath=target/balora.jar}), as a notebook user's
 * kernel would run them; the cells' own {@code expect(...)} checks hold. Notebooks are committed without outputs and
 * all open with the shared setup cell.
 */
class NotebooksRunInJShell {
    static final Path NOTEBOOKS = Path.of("notebooks");

    @TempDir
    static Path cache;

    @Test
    void embedAndAdapt() throws IOException {
        run("01-embed-and-adapt.ipynb");
    }

    @Test
    void generate() throws IOException {
        run("02-generate.ipynb");
    }

    @Test
    @Tag("slow")
    void fineTune() throws IOException {
        run("03-fine-tune.ipynb");
    }

    @Test
    void everyNotebookIsTestedStartsWithTheSetupCellAndHasNoOutputs() throws IOException {
        String setup = Files.readString(require("setup.jsh"));
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            notebooks = files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 2, "notebooks found: " + notebooks);
        for (Path file : notebooks) {
            assertTrue(testedNotebooks().contains(file.getFileName().toString()),
                    file + " has no test in " + getClass().getSimpleName());
            Notebook nb = Notebook.read(file);
            List<Notebook.Cell> code = nb.codeCells();
            assertTrue(code.size() >= 3, file + " has too few code cells");
            assertTrue(code.get(0).source().contains("%maven dev.balora:balora-examples:"),
                    file + ": the first code cell puts balora on the class path");
            assertEquals(setup.strip(), code.get(1).source().strip(),
                    file + ": the second code cell must be notebooks/setup.jsh, verbatim");
            for (Notebook.Cell cell : code) {
                assertTrue(cell.json().getAsJsonArray("outputs").isEmpty()
                        && cell.json().get("execution_count").isJsonNull(),
                        file + ": cell " + cell.index() + " was committed with outputs");
            }
        }
    }

    /** The notebooks that have a test method here. */
    static List<String> testedNotebooks() {
        return List.of("01-embed-and-adapt.ipynb", "02-generate.ipynb", "03-fine-tune.ipynb");
    }

    static void run(String name) throws IOException {
        Notebook nb = Notebook.read(require(name));
        JShellNotebookRunner runner = new JShellNotebookRunner(JShellNotebookRunner.notebookClassPath(), List.of(
                "-Xmx2g",
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dbalora.shared=" + SharedData.root(),
                "-Dbalora.cache=" + cache.toAbsolutePath()));
        long t0 = System.nanoTime();
        String printed = runner.run(nb);
        System.out.printf("%s ran in %.1f s; it printed:%n%s%n", name, (System.nanoTime() - t0) / 1e9, printed);
    }

    private static Path require(String name) {
        Path p = NOTEBOOKS.resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("missing " + p.toAbsolutePath() + " (tests run from the balora-examples folder)");
        }
        return p;
    }
}
