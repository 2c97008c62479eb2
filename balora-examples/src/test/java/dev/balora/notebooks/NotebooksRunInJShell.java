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
 * kernel would run them; the cells' own {@code expect(...)} checks hold. Notebooks are committed without outputs,
 * open with the class-path cell every kernel accepts and the shared setup cell. (CI also runs them in a real
 * Jupyter kernel: {@code notebooks/run-in-kernel.sh}.)
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
            checkClassPathCell(file, code.get(0).source());
            for (Notebook.Cell cell : code.subList(1, code.size())) {
                assertTrue(cell.source().lines().noneMatch(l -> l.strip().startsWith("%")),
                        file + ": cell " + cell.index() + " holds a kernel magic; only the first code cell may");
            }
            assertEquals(setup.strip(), code.get(1).source().strip(),
                    file + ": the second code cell must be notebooks/setup.jsh, verbatim");
            for (Notebook.Cell cell : code) {
                assertTrue(cell.json().getAsJsonArray("outputs").isEmpty()
                        && cell.json().get("execution_count").isJsonNull(),
                        file + ": cell " + cell.index() + " was committed with outputs");
            }
        }
    }

    /**
     * The first code cell puts balora on the class path with the one magic line IJava, JJava and
     * rapaio-jupyter-kernel all accept ({@code %jars} of the shaded jar, which this module's build writes as
     * {@code target/balora.jar}); the Maven route of each kernel is documented in comments (IJava/JJava
     * {@code %maven}; rapaio {@code %dependency /add-repo}, {@code /add}, {@code /resolve}), naming this
     * module's coordinates. No other cell holds a magic: the runner skips magic lines, the kernels do not.
     */
    static void checkClassPathCell(Path file, String cell) throws IOException {
        List<String> magics = cell.lines().map(String::strip).filter(l -> l.startsWith("%")).toList();
        assertEquals(List.of("%jars ../target/balora.jar"), magics,
                file + ": the first code cell's only magic line is the shaded jar, relative to notebooks/");
        String coordinates = "dev.balora:balora-examples:" + projectVersion();
        List<String> comments = cell.lines().map(String::strip).filter(l -> l.startsWith("//"))
                .map(l -> l.substring(2).strip()).toList();
        for (String route : List.of("%maven " + coordinates,
                "%dependency /add-repo m2 file://\\{System.getProperty(\"user.home\")}/.m2/repository",
                "%dependency /add " + coordinates, "%dependency /resolve")) {
            assertTrue(comments.contains(route), file + ": the first code cell documents `" + route + "`");
        }
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<finalName>balora</finalName>"),
                "the shaded jar is target/balora.jar, as the first cells say");
    }

    /** This module's version, from its pom's parent element. */
    static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        int parent = pom.indexOf("<parent>");
        int start = pom.indexOf("<version>", parent) + "<version>".length();
        return pom.substring(start, pom.indexOf("</version>", start)).strip();
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
