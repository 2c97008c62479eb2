package dev.balora.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Jupyter notebook's code cells, read from its .ipynb JSON.
 *
 * @param file the notebook
 * @param cells every cell, in order
 */
record Notebook(Path file, List<Cell> cells) {

    /**
     * One cell.
     *
     * @param index 1-based position among all cells
     * @param type {@code code}, {@code markdown} or {@code raw}
     * @param source the cell's text
     * @param json the cell as stored
     */
    record Cell(int index, String type, String source, JsonObject json) {
        boolean isCode() {
            return "code".equals(type);
        }
    }

    static Notebook read(Path file) throws IOException {
        JsonObject nb = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        if (!nb.has("cells")) {
            throw new IllegalArgumentException(file + " has no \"cells\": not a notebook (nbformat 4)");
        }
        List<Cell> cells = new ArrayList<>();
        int index = 0;
        for (JsonElement e : nb.getAsJsonArray("cells")) {
            JsonObject cell = e.getAsJsonObject();
            cells.add(new Cell(++index, cell.get("cell_type").getAsString(), text(cell.get("source")), cell));
        }
        return new Notebook(file, cells);
    }

    /** The code cells, in order. */
    List<Cell> codeCells() {
        return cells.stream().filter(Cell::isCode).toList();
    }

    /** nbformat stores a source as one string or as a list of lines that keep their line ends. */
    private static String text(JsonElement source) {
        if (source == null || source.isJsonNull()) {
            return "";
        }
        if (source.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonElement line : (JsonArray) source) {
                sb.append(line.getAsString());
            }
            return sb.toString();
        }
        return source.getAsString();
    }
}
