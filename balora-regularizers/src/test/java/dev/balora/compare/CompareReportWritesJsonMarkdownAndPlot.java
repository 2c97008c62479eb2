package dev.balora.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare.json, the Markdown table and the PNG plot of a small fixed report, and of a one-seed report. */
class CompareReportWritesJsonMarkdownAndPlot {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static CompareReport fiveSeeds() {
        JsonObject settings = new JsonObject();
        settings.addProperty("task", "rte");
        settings.addProperty("max_steps", 20);
        return CompareReport.builder().setRuns(Runs.fiveSeeds()).setBaseline("lora").optSettings(settings).build();
    }

    @Test
    void json() throws IOException {
        CompareJson.write(fiveSeeds(), dir.resolve("compare.json"));
        JsonObject root = JsonParser.parseString(Files.readString(dir.resolve("compare.json"))).getAsJsonObject();
        assertEquals("rte", root.getAsJsonObject("settings").get("task").getAsString());
        assertEquals("lora", root.get("baseline").getAsString());
        assertEquals(15, root.getAsJsonArray("runs").size());
        assertEquals(10_000, root.getAsJsonObject("inference").get("bootstrap_resamples").getAsInt());
        JsonObject acc = root.getAsJsonObject("metrics").getAsJsonObject("accuracy");
        assertEquals("higher_is_better", acc.get("direction").getAsString());
        JsonObject lora = acc.getAsJsonArray("summaries").get(0).getAsJsonObject();
        // lora 0.70 0.72 0.69 0.71 0.73: mean 0.71, s = 0.0158114, CI [0.6903676, 0.7296324] (python3 statistics).
        assertEquals(0.71, lora.get("mean").getAsDouble(), 1e-12);
        assertEquals(0.01581138830084191, lora.get("std").getAsDouble(), 1e-12);
        assertEquals(0.6903675691290851, lora.getAsJsonArray("ci").get(0).getAsDouble(), 1e-6);
        JsonObject pissa = acc.getAsJsonArray("comparisons").get(0).getAsJsonObject();
        assertEquals("pissa", pissa.get("method").getAsString());
        assertEquals(0.011056493393450273, pissa.getAsJsonObject("t_test").get("p_value").getAsDouble(), 1e-9);
        assertEquals(0.012, pissa.getAsJsonArray("bootstrap_ci").get(0).getAsDouble(), 1e-12);
        assertEquals("pissa", pissa.get("better").getAsString());
        assertTrue(pissa.get("significant").getAsBoolean());
        JsonObject loss = root.getAsJsonObject("metrics").getAsJsonObject("eval_loss");
        assertEquals("lower_is_better", loss.get("direction").getAsString());
        // pissa's loss minus lora's: -0.01 x4, +0.01: mean -0.006, t = -1.5, df 4, p = 0.208 (closed-form CDF).
        JsonObject pl = loss.getAsJsonArray("comparisons").get(0).getAsJsonObject();
        assertEquals(0.208, pl.getAsJsonObject("t_test").get("p_value").getAsDouble(), 1e-9);
        assertEquals("pissa", pl.get("better").getAsString());
        assertFalse(pl.get("significant").getAsBoolean());
    }

    @Test
    void markdown() {
        String md = CompareMarkdown.render(fiveSeeds());
        assertTrue(md.contains("### accuracy (higher is better)"), md);
        assertTrue(md.contains("| lora (baseline) | 0.7100 ± 0.0158 | [0.6904, 0.7296] | 5 | — | — | — | — |"), md);
        assertTrue(md.contains("| pissa | 0.7300 ± 0.0200 | [0.7052, 0.7548] | 5 | +0.0200 | [+0.0076, +0.0324]"
                + " | [+0.0120, +0.0280] | 0.011 |"), md);
        // balora - lora: +-0.01, mean 0.002, t = 0.408248, p = 0.704.
        assertTrue(md.contains("| balora | 0.7120 ± 0.0084 | [0.7016, 0.7224] | 5 | +0.0020 |"), md);
        assertTrue(md.contains("| 0.704 |"), md);
        assertTrue(md.contains("pissa is better than lora on accuracy (Δ +0.0200, p = 0.011). Not significant at 5 %:"
                + " balora."), md);
        assertTrue(md.contains("### eval_loss (lower is better)"), md);
        assertTrue(md.contains("No method differs significantly from lora on eval_loss at the 5 % level (paired"
                + " t-test over 5 seeds)."), md);
    }

    @Test
    void markdownWithOneSeed() {
        String md = CompareMarkdown.render(CompareReport.builder().setRuns(Runs.oneSeed()).setBaseline("lora").build());
        assertTrue(md.contains("| pissa | 0.7200 | — | 1 | +0.0200 | — | — | — |"), md);
        assertTrue(md.contains("One seed per method: no interval and no test"), md);
    }

    @Test
    void plot() throws IOException {
        Path png = dir.resolve("compare.png");
        ComparePlot.write(fiveSeeds(), png);
        assertValidPng(png, ComparePlot.WIDTH, 2 * ComparePlot.PANEL_HEIGHT);
    }

    @Test
    void plotWithOneSeed() throws IOException {
        Path png = dir.resolve("one.png");
        ComparePlot.write(CompareReport.builder().setRuns(Runs.oneSeed()).setBaseline("lora").build(), png);
        assertValidPng(png, ComparePlot.WIDTH, ComparePlot.PANEL_HEIGHT);
    }

    @Test
    void plotOfTheBaselineAlone() throws IOException {
        Path png = dir.resolve("alone.png");
        ComparePlot.write(CompareReport.builder().setRuns(Runs.oneSeed().subList(0, 1)).setBaseline("lora").build(),
                png);
        assertValidPng(png, ComparePlot.WIDTH, ComparePlot.PANEL_HEIGHT);
    }

    private static void assertValidPng(Path png, int width, int height) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
    }
}
