package dev.balora.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook runner skips magic lines, keeps state across cells and stops at the first bad snippet with the cell
 * number and JShell's diagnostic or the exception.
 */
class NotebookRunnerReportsTheFailingCell {

    @TempDir
    Path dir;

    private final JShellNotebookRunner runner = new JShellNotebookRunner(List.of(), List.of("-Xmx64m"));

    @Test
    void magicsAreSkippedAndStateCarriesAcrossCells() throws IOException {
        String printed = runner.run(notebook("%maven no.such:artifact:1\nint x = 20;\n",
                "// a comment\nint twice(int v) {\n    return 2 * v;\n}\nSystem.out.println(\"x=\" + twice(x + 1));"));
        assertTrue(printed.contains("x=42"), printed);
        assertEquals("a\nc\n", JShellNotebookRunner.withoutMagics("a\n  %jars b.jar\nc"));
    }

    @Test
    void aCompileErrorNamesTheCellAndTheDiagnostic() throws IOException {
        AssertionError e = assertThrows(AssertionError.class,
                () -> runner.run(notebook("int x = 1;", "int y = 2;\nString s = undefinedThing + x;")));
        assertTrue(e.getMessage().contains("code cell 2 (cell 3 of the notebook)"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot find symbol"), e.getMessage());
        assertTrue(e.getMessage().contains("undefinedThing"), e.getMessage());
    }

    @Test
    void anExceptionNamesTheCellAndTheException() throws IOException {
        AssertionError e = assertThrows(AssertionError.class,
                () -> runner.run(notebook("int[] a = new int[1];", "System.out.println(\"before\");\na[3] = 1;")));
        assertTrue(e.getMessage().contains("code cell 2"), e.getMessage());
        assertTrue(e.getMessage().contains("ArrayIndexOutOfBoundsException"), e.getMessage());
        assertTrue(e.getMessage().contains("before"), "output so far is quoted: " + e.getMessage());
    }

    @Test
    void anUnfinishedCellIsReported() throws IOException {
        AssertionError e = assertThrows(AssertionError.class,
                () -> runner.run(notebook("void f() {\n    int z = 1;\n")));
        assertTrue(e.getMessage().contains("code cell 1") && e.getMessage().contains("unfinished"), e.getMessage());
    }

    /** A notebook with a markdown cell first, then the given code cells. */
    private Notebook notebook(String... codeCells) throws IOException {
        JsonArray cells = new JsonArray();
        JsonObject md = new JsonObject();
        md.addProperty("cell_type", "markdown");
        md.addProperty("source", "# title");
        cells.add(md);
        for (String code : codeCells) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", "code");
            JsonArray lines = new JsonArray();
            code.lines().forEach(l -> lines.add(l + "\n"));
            cell.add("source", lines);
            cell.add("outputs", new JsonArray());
            cells.add(cell);
        }
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        Path file = dir.resolve("test.ipynb");
        Files.writeString(file, nb.toString());
        return Notebook.read(file);
    }
}
