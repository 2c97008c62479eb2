package dev.balora.data.glue;

/** What a reader does with a malformed row. */
public enum BadRowPolicy {
    /** Throw a {@link DataFormatException} naming file and line at the first bad row. */
    FAIL,
    /** Skip the row, keep a {@link BadRow} record of it and log a warning. */
    SKIP
}
