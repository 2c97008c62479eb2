package dev.balora.train;

import dev.balora.checkpoint.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run's {@code loss-curve.png} with XChart, headless: stacked panels sharing the step axis, first the total
 * and task loss per optimizer step (with a moving average when the curve is long), then the regularizer terms when
 * the objective had any, then the dev metrics when the run evaluated.
 */
public final class LossCurvePlot {
    /** Width of the image in pixels. */
    public static final int WIDTH = 900;
    /** Height of one panel in pixels; the image is as high as its panels together. */
    public static final int PANEL_HEIGHT = 380;
    /** Curves with more points than this also get an exponential moving average, the raw line drawn faint. */
    static final int SMOOTH_ABOVE = 50;
    /** A panel switches to a log scale when its values are all positive and span more than this ratio. */
    static final double LOG_SCALE_RATIO = 1e3;

    private static final Color TOTAL = new Color(31, 119, 180);
    private static final Color TOTAL_FAINT = new Color(31, 119, 180, 70);
    private static final Color TASK = new Color(255, 127, 14);

    private LossCurvePlot() {}

    /**
     * Reads a run folder's {@code metrics.jsonl} / {@code eval.jsonl} and writes the plot.
     *
     * @param runDir the run's output folder
     * @param file the PNG to write (atomically)
     * @param title the title of the first panel
     */
    public static void write(Path runDir, Path file, String title) {
        write(file, LossCurveData.read(runDir), title);
    }

    /**
     * Writes the plot.
     *
     * @param file the PNG to write (atomically)
     * @param data the series
     * @param title the title of the first panel
     */
    public static void write(Path file, LossCurveData data, String title) {
        BufferedImage img = render(data, title);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        });
    }

    /** The plot as an image ({@link #WIDTH} by {@link #PANEL_HEIGHT} times the number of panels). */
    public static BufferedImage render(LossCurveData data, String title) {
        List<XYChart> charts = charts(data, title);
        BufferedImage img = new BufferedImage(WIDTH, PANEL_HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), 0, i * PANEL_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * The panels: losses always; regularizer terms when logged; dev metrics when evaluated. All share the x range.
     *
     * @param data the series
     * @param title the title of the first panel
     * @return one to three charts
     */
    public static List<XYChart> charts(LossCurveData data, String title) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // no display on training hosts
        }
        double[] range = stepRange(data);
        List<XYChart> charts = new ArrayList<>();
        String lossTitle = data.skippedSteps() == 0 ? title
                : title + " (" + data.skippedSteps() + " skipped step" + (data.skippedSteps() == 1 ? "" : "s")
                        + " left out)";
        XYChart loss = chart(lossTitle, "loss", range);
        boolean smooth = data.total().size() > SMOOTH_ABOVE;
        if (!data.total().isEmpty()) {
            line(loss, data.total(), smooth ? TOTAL_FAINT : TOTAL, 1.2f);
            if (smooth) {
                line(loss, ema(data.total(), "total loss (moving average)"), TOTAL, 2.2f);
            }
        }
        if (data.regularized() && !data.task().isEmpty()) {
            // Smoothed like the total, or the task's noise would hide the gap the regularizers make.
            LossCurveData.Series task = data.task().size() > SMOOTH_ABOVE
                    ? ema(data.task(), "task loss (moving average)") : data.task();
            line(loss, task, TASK, 1.6f).setLineStyle(dashed(1.6f));
        }
        logScaleIfWide(loss, List.of(data.total(), data.task()));
        charts.add(loss);

        addPanel(charts, "regularizer terms (unweighted)", "term value", range, data.terms(), SeriesMarkers.NONE);
        addPanel(charts, "evaluation", "metric value", range, data.eval(), SeriesMarkers.CIRCLE);
        return charts;
    }

    /** Adds a panel of the non-empty series, each drawn with {@code marker}; none when every series is empty. */
    private static void addPanel(List<XYChart> charts, String title, String yTitle, double[] range,
            List<LossCurveData.Series> series, Marker marker) {
        List<LossCurveData.Series> drawn = series.stream().filter(s -> !s.isEmpty()).toList();
        if (drawn.isEmpty()) {
            return;
        }
        XYChart panel = chart(title, yTitle, range);
        for (LossCurveData.Series s : drawn) {
            panel.addSeries(s.name(), s.x(), s.y()).setMarker(marker);
        }
        logScaleIfWide(panel, drawn);
        charts.add(panel);
    }

    private static XYChart chart(String title, String yTitle, double[] range) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title).xAxisTitle("optimizer step")
                .yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        // Below the plot, so it never hides a curve and every panel's plot area has the same width.
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setAntiAlias(true);
        c.getStyler().setXAxisMin(range[0]).setXAxisMax(range[1]).setXAxisDecimalPattern("#,##0");
        return c;
    }

    private static XYSeries line(XYChart chart, LossCurveData.Series s, Color color, float width) {
        XYSeries series = chart.addSeries(s.name(), s.x(), s.y());
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineWidth(width);
        return series;
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
    }

    /** Step range of all series, so stacked panels line up; [0, 1] when there is no point at all. */
    static double[] stepRange(LossCurveData data) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<LossCurveData.Series> all = new ArrayList<>(List.of(data.total(), data.task()));
        all.addAll(data.terms());
        all.addAll(data.eval());
        for (LossCurveData.Series s : all) {
            for (double x : s.x()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        return lo == hi ? new double[] {lo - 1, hi + 1} : new double[] {lo, hi};
    }

    /** A log scale only helps when every value is positive and they span decades (a regularizer decaying fast). */
    static boolean wantsLogScale(List<LossCurveData.Series> series) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (LossCurveData.Series s : series) {
            for (double y : s.y()) {
                if (y <= 0) {
                    return false;
                }
                lo = Math.min(lo, y);
                hi = Math.max(hi, y);
            }
        }
        return hi > 0 && hi / lo > LOG_SCALE_RATIO;
    }

    private static void logScaleIfWide(XYChart chart, List<LossCurveData.Series> series) {
        if (wantsLogScale(series)) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.setYAxisTitle(chart.getYAxisTitle() + " (log scale)");
        }
    }

    /** Exponential moving average (weight 0.9 on the past) in step order. */
    static LossCurveData.Series ema(LossCurveData.Series s, String name) {
        double[] y = new double[s.size()];
        double m = Double.NaN;
        for (int i = 0; i < y.length; i++) {
            m = Double.isNaN(m) ? s.y()[i] : 0.9 * m + 0.1 * s.y()[i];
            y[i] = m;
        }
        return new LossCurveData.Series(name, s.x().clone(), y);
    }
}
