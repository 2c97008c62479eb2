package dev.balora.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Test helper: runs {@link BaloraApp#execute} with stdout and stderr captured and an optional model cache folder.
 *
 * @param code the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
record AppRun(int code, String out, String err) {

    /** Runs the app with {@code -Dbalora.cache=cache} (null: leave the property as it is). */
    static AppRun run(Path cache, String... args) {
        String previousCache = System.getProperty("balora.cache");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            if (cache != null) {
                System.setProperty("balora.cache", cache.toString());
            }
            System.setOut(po);
            System.setErr(pe);
            code = BaloraApp.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (cache != null) {
                if (previousCache == null) {
                    System.clearProperty("balora.cache");
                } else {
                    System.setProperty("balora.cache", previousCache);
                }
            }
        }
        String stderr = e.toString(StandardCharsets.UTF_8);
        System.err.print(stderr); // keep the logs visible in the test report
        return new AppRun(code, o.toString(StandardCharsets.UTF_8).trim(), stderr);
    }
}
