package dev.balora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class LossCurvePlotDrawsLoggedSeries {

    @TempDir
    Path tmp;

    /** Six hand-written metrics.jsonl rows: step 3 skipped, step 4's total and step 5's consistency not finite. */
    private static final List<String> METRICS = List.of(
            "{\"step\":1,\"epoch\":0,\"loss\":2.5,\"terms\":{\"consistency\":0.25,\"task\":2.0},\"skipped\":false}",
            "{\"step\":2,\"epoch\":0,\"loss\":2.25,\"terms\":{\"consistency\":0.5,\"task\":1.75},\"skipped\":false}",
            "{\"step\":3,\"epoch\":0,\"loss\":null,\"terms\":{\"consistency\":0.1,\"task\":9.0},\"skipped\":true}",
            "",
            "{\"step\":4,\"epoch\":1,\"loss\":null,\"terms\":{\"consistency\":0.75,\"task\":1.5},\"skipped\":false}",
            "{\"step\":5,\"epoch\":1,\"loss\":1.5,\"terms\":{\"consistency\":null,\"task\":1.25,\"diversity\":-0.5},"
                    + "\"skipped\":false}",
            "{\"step\":6,\"epoch\":1,\"loss\":1.0,\"terms\":{\"consistency\":0.125,\"task\":0.875},\"skipped\":false}");

    private static final List<String> EVAL = List.of(
            "{\"step\":3,\"epoch\":0,\"end_of_epoch\":true,\"metrics\":{\"accuracy\":0.5,\"f1\":null}}",
            "{\"step\":6,\"epoch\":1,\"end_of_epoch\":true,\"metrics\":{\"accuracy\":0.75,\"f1\":0.7}}");

    @Test
    void seriesComeFromTheRowsLeavingOutSkippedStepsAndNonFiniteValues() {
        LossCurveData d = LossCurveData.fromRows(METRICS, EVAL);
        assertEquals(6, d.steps());
        assertEquals(1, d.skippedSteps());
        assertArrayEquals(new double[] {1, 2, 5, 6}, d.total().x());
        assertArrayEquals(new double[] {2.5, 2.25, 1.5, 1.0}, d.total().y());
        assertArrayEquals(new double[] {1, 2, 4, 5, 6}, d.task().x());
        assertArrayEquals(new double[] {2.0, 1.75, 1.5, 1.25, 0.875}, d.task().y());
        assertTrue(d.regularized());
        assertEquals(2, d.terms().size());
        assertEquals("consistency", d.terms().get(0).name());
        assertArrayEquals(new double[] {1, 2, 4, 6}, d.terms().get(0).x());
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 0.125}, d.terms().get(0).y());
        assertEquals("diversity", d.terms().get(1).name());
        assertArrayEquals(new double[] {5}, d.terms().get(1).x());
        assertEquals(List.of("dev accuracy", "dev f1"), d.eval().stream().map(LossCurveData.Series::name).toList());
        assertArrayEquals(new double[] {3, 6}, d.eval().get(0).x());
        assertArrayEquals(new double[] {0.5, 0.75}, d.eval().get(0).y());
        assertArrayEquals(new double[] {6}, d.eval().get(1).x());
    }

    @Test
    void anUnregularizedRunHasNoTermSeriesAndABrokenLineIsNamed() {
        LossCurveData plain = LossCurveData.fromRows(
                List.of("{\"step\":1,\"loss\":0.7,\"terms\":{\"task\":0.7},\"skipped\":false}"), List.of());
        assertFalse(plain.regularized());
        assertTrue(plain.eval().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossCurveData.fromRows(List.of("{\"step\":1,\"loss\":0.7}", "{\"step\":2,\"lo"), List.of()));
        assertTrue(e.getMessage().contains("metrics.jsonl line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossCurveData.read(tmp.resolve("nothing-here")));
    }

    @Test
    void chartsCarryTheExtractedDataOnASharedStepAxis() {
        LossCurveData d = LossCurveData.fromRows(METRICS, EVAL);
        List<XYChart> charts = LossCurvePlot.charts(d, "training loss");
        assertEquals(3, charts.size(), "losses, regularizer terms, dev metrics");
        XYChart loss = charts.get(0);
        assertTrue(loss.getTitle().contains("1 skipped step"), loss.getTitle());
        assertEquals("optimizer step", loss.getXAxisTitle());
        XYSeries total = loss.getSeriesMap().get("total loss");
        assertArrayEquals(d.total().x(), total.getXData());
        assertArrayEquals(d.total().y(), total.getYData());
        assertArrayEquals(d.task().y(), loss.getSeriesMap().get("task loss").getYData()); // short: not smoothed
        assertEquals(List.of("consistency", "diversity"), new ArrayList<>(charts.get(1).getSeriesMap().keySet()));
        assertArrayEquals(new double[] {0.5, 0.75}, charts.get(2).getSeriesMap().get("dev accuracy").getYData());
        for (XYChart c : charts) {
            assertEquals(1.0, c.getStyler().getXAxisMin());
            assertEquals(6.0, c.getStyler().getXAxisMax());
        }
        // diversity is negative: no log scale; a term falling over decades gets one.
        assertFalse(charts.get(1).getStyler().isYAxisLogarithmic());
        assertTrue(LossCurvePlot.wantsLogScale(List.of(new LossCurveData.Series("kl", new double[] {1, 2},
                new double[] {1.0, 1e-4}))));
    }

    @Test
    void thePngDecodesAtThePanelSizeAndShowsTheCurves() throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.write(run.resolve("metrics.jsonl"), METRICS, StandardCharsets.UTF_8);
        Files.write(run.resolve("eval.jsonl"), EVAL, StandardCharsets.UTF_8);
        Path png = run.resolve("loss-curve.png");
        LossCurvePlot.write(run, png, "training loss");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "loss-curve.png must decode as an image");
        assertEquals(LossCurvePlot.WIDTH, img.getWidth());
        assertEquals(3 * LossCurvePlot.PANEL_HEIGHT, img.getHeight());
        for (int panel = 0; panel < 3; panel++) {
            int dark = 0;
            for (int y = panel * LossCurvePlot.PANEL_HEIGHT; y < (panel + 1) * LossCurvePlot.PANEL_HEIGHT; y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y);
                    int sum = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                    dark += sum < 384 ? 1 : 0;
                }
            }
            assertTrue(dark > 2000, "panel " + panel + " has " + dark + " dark pixels: text and lines expected");
        }
        // The total-loss line is drawn in its own blue in the first panel.
        int blue = 0;
        for (int y = 0; y < LossCurvePlot.PANEL_HEIGHT; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 255) - 31) < 20 && Math.abs(((rgb >> 8) & 255) - 119) < 20
                        && Math.abs((rgb & 255) - 180) < 20) {
                    blue++;
                }
            }
        }
        assertTrue(blue > 100, "only " + blue + " pixels of the total-loss colour");
    }
}
