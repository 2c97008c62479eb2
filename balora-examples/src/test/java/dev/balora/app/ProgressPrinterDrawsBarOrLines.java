package dev.balora.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balora.train.EvalRecord;
import dev.balora.train.StepRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Progress on stderr: on a terminal one redrawn bar line (carriage return, no newline until the end); otherwise a
 * plain line every 5 % of the run; both carry step, epoch, loss, tokens/s and an ETA; evaluations get a line.
 */
class ProgressPrinterDrawsBarOrLines {

    private static StepRecord step(int n, double loss) {
        return new StepRecord(n, 0, loss, Map.of(), Map.of(), 1e-3, 1.0, false, 8, 800, 400.0, 2.0, false);
    }

    private static String run(boolean bar) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true, StandardCharsets.UTF_8), bar);
        p.onTrainingStart(40, 0);
        for (int i = 1; i <= 40; i++) {
            p.onStep(step(i, i == 7 ? Double.NaN : 1.0 / i));
            if (i == 20) {
                p.onEvaluation(new EvalRecord(20, 0, false, Map.of("accuracy", 0.75), 0.1));
            }
        }
        p.onTrainingEnd(null);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesEveryFivePercent() {
        String out = run(false);
        String[] lines = out.split("\n");
        assertEquals("training: 40 steps", lines[0]);
        long stepLines = out.lines().filter(l -> l.startsWith("step ")).count();
        assertEquals(20, stepLines, "every 2 steps of 40 (5 %):\n" + out);
        assertTrue(out.contains("step 2/40 (5%) epoch 0 loss 0.5000 400 tok/s ETA "), out);
        assertTrue(out.contains("step 40/40 (100%) epoch 0 loss 0.0250 400 tok/s ETA 0s"), out);
        assertTrue(out.contains("evaluation at step 20: {accuracy=0.75}"), out);
        assertTrue(!out.contains("\r"), "no carriage returns off a terminal");
    }

    @Test
    void oneRedrawnBarOnATerminal() {
        String out = run(true);
        assertTrue(out.startsWith("\r["), out);
        assertTrue(out.contains("[========================] step 40/40 (100%)"), out);
        assertEquals(2, out.chars().filter(c -> c == '\n').count(), "the evaluation line and the final newline");
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("12s", ProgressPrinter.duration(12.2));
        assertEquals("3m07s", ProgressPrinter.duration(187));
        assertEquals("1h02m", ProgressPrinter.duration(3725));
        assertEquals("?", ProgressPrinter.duration(Double.NaN));
    }
}
