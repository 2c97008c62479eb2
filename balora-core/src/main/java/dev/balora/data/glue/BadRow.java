package dev.balora.data.glue;

import java.nio.file.Path;

/**
 * A row that could not be read.
 *
 * @param file the file
 * @param line the 1-based line number
 * @param reason what is wrong with it
 */
public record BadRow(Path file, int line, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
