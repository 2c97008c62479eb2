package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.fixtures.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code balora finetune} process mid-run, then {@code --resume}, gives the per-step losses of an
 * uninterrupted run (1e-6), for an encoder on GLUE-layout data and for the aidreams260K decoder on JSONL.
 */
class KilledRunsResumeExactly {

    @Test
    void encoderRun(@TempDir Path tmp) throws Exception {
        Path data = RunFolders.demoData(tmp.resolve("data"));
        killAndResume(tmp, 12, 4, "--task", "sst2", "--data", data.toString(), "--train-limit", "96",
                "--max-length", "24", "--batch-size", "8", "--targets", "query,value", "--init", "pissa-fast",
                "--niter", "2", "--lr", "1e-3", "--no-eval-before");
    }

    @Test
    void decoderRun(@TempDir Path tmp) throws Exception {
        Path train = tmp.resolve("train.jsonl");
        NlgFinetuneLowersHeldOutLossOnAidreams.writeData(train, 64, 3);
        killAndResume(tmp, 40, 10, "--model", SharedData.require("models/aidreams260K").toString(), "--data",
                train.toString(), "--rank", "4", "--lr", "1e-2", "--batch-size", "4", "--epochs", "3");
    }

    /**
     * Runs {@code steps} steps uninterrupted, then the same run in a child JVM killed once {@code killAfter} steps
     * are logged, resumes it, and compares.
     */
    private static void killAndResume(Path tmp, int steps, int killAfter, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("finetune", "--max-steps", String.valueOf(steps),
                "--checkpoint-every", "1"));
        args.addAll(List.of(options));
        Path whole = tmp.resolve("whole");
        AppRun ref = AppRun.run(TestCache.dir(), with(args, "--out", whole.toString()));
        assertEquals(0, ref.code(), ref.err());
        double[] expected = RunFolders.losses(whole);
        assertEquals(steps, expected.length);

        Path killed = tmp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                "-Dbalora.cache=" + TestCache.dir(), BaloraApp.class.getName()));
        command.addAll(List.of(with(args, "--out", killed.toString())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process child = pb.start();
        Path metrics = killed.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (loggedSteps(metrics) < killAfter) {
            assertTrue(child.isAlive(), "the child ended before step " + killAfter + ":\n"
                    + Files.readString(tmp.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "no step " + killAfter + " within 180 s");
            Thread.sleep(10);
        }
        assertTrue(child.isAlive(), "the child must still be training when it is killed");
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        child.waitFor();
        String childLog = Files.readString(tmp.resolve("child.log"));
        assertTrue(!childLog.contains("Failed to detect GPU count"), "no GPU-probe noise on stderr:\n" + childLog);
        int before = loggedSteps(metrics);
        assertTrue(before < steps, "killed after " + before + " of " + steps + " steps");

        AppRun resumed = AppRun.run(TestCache.dir(), "finetune", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertArrayEquals(expected, RunFolders.losses(killed), 1e-6,
                "per-step losses after a kill at step " + before + " and --resume");
    }

    private static int loggedSteps(Path metrics) throws Exception {
        if (!Files.isRegularFile(metrics)) {
            return 0;
        }
        int n = 0;
        for (String line : Files.readAllLines(metrics)) {
            n += line.endsWith("}") ? 1 : 0;
        }
        return n;
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
