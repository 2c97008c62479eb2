package dev.balora.data.glue;

import java.nio.file.Path;

/** A data file that cannot be read as the expected layout; the message names the file and line. */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    /**
     * Creates the exception.
     *
     * @param file the file
     * @param line the 1-based line (0 when the problem is the file as a whole)
     * @param reason what is wrong
     */
    public DataFormatException(Path file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line, or 0 for the whole file. */
    public int line() {
        return line;
    }
}
