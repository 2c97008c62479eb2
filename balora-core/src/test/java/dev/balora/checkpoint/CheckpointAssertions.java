package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/** Assertions shared by the checkpoint tests: an error must be a CheckpointException naming what and where. */
final class CheckpointAssertions {

    private CheckpointAssertions() {}

    /**
     * Asserts that {@code action} throws a {@link CheckpointException} whose message names the file, the tensor
     * (when not null) and every extra fragment.
     *
     * @return the exception, for further checks
     */
    static CheckpointException assertNamed(Executable action, Path file, String tensor, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, action);
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), () -> "message does not name the file " + file + ": " + m);
        if (tensor != null) {
            assertTrue(m.contains("'" + tensor + "'"), () -> "message does not name tensor " + tensor + ": " + m);
        }
        for (String f : fragments) {
            assertTrue(m.contains(f), () -> "message lacks \"" + f + "\": " + m);
        }
        return e;
    }
}
