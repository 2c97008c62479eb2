package dev.balora.model;

/** A checkpoint whose architecture balora does not implement; the message lists what is supported. */
public class UnsupportedModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message listing the supported alternatives. */
    public UnsupportedModelException(String message) {
        super(message);
    }
}
