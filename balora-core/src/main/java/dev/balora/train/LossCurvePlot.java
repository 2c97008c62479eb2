package dev.balora.train;

import dev.balora.checkpoint.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws the training loss per step (and its moving average) as a PNG with Java2D, headless.
 *
 * <p>XChart was the intended charting library but is not available to this offline build; Java2D needs nothing
 * beyond the JDK. If the JDK has no fonts the axes are drawn without labels rather than failing the run.
 */
public final class LossCurvePlot {
    private static final Logger LOG = LoggerFactory.getLogger(LossCurvePlot.class);
    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private LossCurvePlot() {}

    /**
     * Writes the plot.
     *
     * @param file the PNG to write (atomically)
     * @param steps step numbers
     * @param losses the loss of each step (non-finite values are left out)
     * @param title the title
     */
    public static void write(Path file, List<Integer> steps, List<Double> losses, String title) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double minX = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double minY = Double.MAX_VALUE;
            double maxY = -Double.MAX_VALUE;
            for (int i = 0; i < steps.size(); i++) {
                double y = losses.get(i);
                if (Double.isFinite(y)) {
                    minX = Math.min(minX, steps.get(i));
                    maxX = Math.max(maxX, steps.get(i));
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
            if (minX > maxX) {
                minX = 0;
                maxX = 1;
                minY = 0;
                maxY = 1;
            }
            if (maxX == minX) {
                maxX = minX + 1;
            }
            if (maxY == minY) {
                maxY = minY + 1e-3;
            }
            int pw = WIDTH - LEFT - RIGHT;
            int ph = HEIGHT - TOP - BOTTOM;
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(LEFT, TOP, pw, ph);
            Path2D raw = new Path2D.Double();
            Path2D smooth = new Path2D.Double();
            boolean startedRaw = false;
            boolean startedSmooth = false;
            double ema = Double.NaN;
            for (int i = 0; i < steps.size(); i++) {
                double y = losses.get(i);
                if (!Double.isFinite(y)) {
                    continue;
                }
                ema = Double.isNaN(ema) ? y : 0.9 * ema + 0.1 * y;
                double px = LEFT + (steps.get(i) - minX) / (maxX - minX) * pw;
                double py = TOP + (maxY - y) / (maxY - minY) * ph;
                double pe = TOP + (maxY - ema) / (maxY - minY) * ph;
                if (!startedRaw) {
                    raw.moveTo(px, py);
                    smooth.moveTo(px, pe);
                    startedRaw = true;
                    startedSmooth = true;
                } else {
                    raw.lineTo(px, py);
                    smooth.lineTo(px, pe);
                }
            }
            g.setColor(new Color(120, 160, 220));
            g.setStroke(new BasicStroke(1f));
            if (startedRaw) {
                g.draw(raw);
            }
            g.setColor(new Color(200, 60, 40));
            g.setStroke(new BasicStroke(2f));
            if (startedSmooth) {
                g.draw(smooth);
            }
            try {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                g.drawString(title, LEFT, TOP - 15);
                g.drawString("optimizer step", LEFT + pw / 2 - 40, HEIGHT - 15);
                g.drawString(String.format("%.0f", minX), LEFT, TOP + ph + 18);
                g.drawString(String.format("%.0f", maxX), LEFT + pw - 30, TOP + ph + 18);
                g.drawString(String.format("%.4g", maxY), 5, TOP + 5);
                g.drawString(String.format("%.4g", minY), 5, TOP + ph);
                g.drawString("loss (blue), moving average (red)", LEFT + pw - 260, TOP - 15);
            } catch (RuntimeException | InternalError e) {
                LOG.warn("loss curve drawn without labels: no usable font ({})", e.toString());
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new java.io.IOException("no PNG writer in this JDK");
            }
        });
    }
}
