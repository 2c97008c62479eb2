package dev.balora.app;

import java.nio.file.Path;

/** Test helper: one model cache for the module's app tests, under target/, so the embedded model is imported once. */
final class TestCache {

    private TestCache() {}

    /** The cache folder ({@code target/balora-test-cache}); ModelResolver creates it on first use. */
    static Path dir() {
        return Path.of("target", "balora-test-cache").toAbsolutePath();
    }
}
