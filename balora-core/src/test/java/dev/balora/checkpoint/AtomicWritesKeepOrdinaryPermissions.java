package dev.balora.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes go through an owner-only temporary file; the result must still be readable like any other file. */
class AtomicWritesKeepOrdinaryPermissions {

    @Test
    void newFileIsWorldReadableAndReplacedFileKeepsItsPermissions(@TempDir Path dir) throws Exception {
        Path fresh = dir.resolve("adapter_config.json");
        AtomicFiles.writeString(fresh, "{}");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

        Path existing = dir.resolve("config.json");
        Files.writeString(existing, "old");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(existing, "new");
        assertEquals("new", Files.readString(existing));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)));
    }
}
