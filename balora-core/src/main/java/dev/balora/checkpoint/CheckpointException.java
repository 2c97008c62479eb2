package dev.balora.checkpoint;

/** A checkpoint file or tensor that cannot be used, with the file and tensor it concerns in the message. */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception for a problem in one file, optionally about one tensor.
     *
     * @param file the file (or directory) concerned
     * @param tensor the tensor name, or null when the problem is not about one tensor
     * @param problem what is wrong
     */
    public CheckpointException(Object file, String tensor, String problem) {
        super(format(file, tensor, problem));
    }

    /** Same as {@link #CheckpointException(Object, String, String)} with a cause. */
    public CheckpointException(Object file, String tensor, String problem, Throwable cause) {
        super(format(file, tensor, problem), cause);
    }

    private static String format(Object file, String tensor, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file);
        if (tensor != null) {
            sb.append(": tensor '").append(tensor).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }
}
