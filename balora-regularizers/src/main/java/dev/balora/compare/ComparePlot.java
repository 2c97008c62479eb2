package dev.balora.compare;

import dev.balora.checkpoint.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code compare.png} with XChart, headless: one panel per metric, one column per method, each seed's value
 * as a point (a seed has one colour across methods) beside the method's mean with its t confidence interval as an
 * error bar (a bare mean when there is one seed).
 */
public final class ComparePlot {
    /** Width of the image in pixels. */
    public static final int WIDTH = 900;
    /** Height of one metric's panel in pixels; the image is as high as its panels together. */
    public static final int PANEL_HEIGHT = 420;
    private static final Color[] SEED_COLORS = {new Color(31, 119, 180), new Color(255, 127, 14),
        new Color(44, 160, 44), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final Color MEAN = new Color(214, 39, 40);

    private ComparePlot() {}

    /**
     * Writes the plot as a PNG, atomically: {@link #WIDTH} by {@link #PANEL_HEIGHT} times the number of metrics.
     *
     * @param report the report
     * @param file the PNG to write
     */
    public static void write(CompareReport report, Path file) {
        List<CategoryChart> charts = charts(report);
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapFormat.PNG));
    }

    /**
     * One chart per metric, in the report's metric order.
     *
     * @param report the report
     * @return the charts
     */
    public static List<CategoryChart> charts(CompareReport report) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // no display on training hosts
        }
        List<CategoryChart> charts = new ArrayList<>();
        for (MetricComparison m : report.metrics()) {
            charts.add(chart(report, m));
        }
        return charts;
    }

    private static CategoryChart chart(CompareReport report, MetricComparison m) {
        List<String> methods = report.methods();
        List<Long> seeds = report.seeds();
        int n = seeds.size();
        String level = CompareMarkdown.percent(report.inference().level());
        String title = m.metric() + " (" + m.direction().phrase() + "): " + (n > 1
                ? "per seed, and mean with " + level + " % CI over " + n + " seeds"
                : "one seed, no CI");
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle("method").yAxisTitle(m.metric()).build();
        CategoryStyler s = c.getStyler();
        s.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setAntiAlias(true);
        s.setMarkerSize(9);
        s.setErrorBarsColorSeriesColor(true);
        s.setYAxisDecimalPattern("0.0###");

        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<Double> means = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        List<List<Double>> perSeed = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            perSeed.add(new ArrayList<>());
        }
        for (String method : methods) {
            Summary sum = m.summary(method);
            double[] v = sum.valueArray();
            for (int j = 0; j < n; j++) {
                perSeed.get(j).add(v[j]);
                lo = Math.min(lo, v[j]);
                hi = Math.max(hi, v[j]);
            }
            double err = sum.spread().map(sp -> sp.ci().width() / 2).orElse(0.0);
            means.add(sum.mean());
            errors.add(err);
            lo = Math.min(lo, sum.mean() - err);
            hi = Math.max(hi, sum.mean() + err);
        }
        double pad = hi > lo ? 0.08 * (hi - lo) : Math.max(Math.abs(hi) * 0.05, 0.01);
        s.setYAxisMin(lo - pad).setYAxisMax(hi + pad);

        // Seeds keep their colour across methods, so a pair reads at a glance; the mean comes last, at the right.
        for (int j = 0; j < n; j++) {
            CategorySeries seed = c.addSeries("seed " + seeds.get(j), methods, perSeed.get(j));
            seed.setMarker(SeriesMarkers.CIRCLE);
            seed.setMarkerColor(SEED_COLORS[j % SEED_COLORS.length]);
        }
        CategorySeries mean = n > 1 ? c.addSeries("mean ± " + level + " % CI", methods, means, errors)
                : c.addSeries("mean", methods, means);
        mean.setMarker(SeriesMarkers.DIAMOND);
        mean.setMarkerColor(MEAN);
        mean.setLineColor(MEAN);
        return c;
    }
}
