package org.optbench.sweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.optbench.sweep.analysis.LrPoint;
import org.optbench.sweep.analysis.OptimizerSummary;
import org.optbench.sweep.store.MetricRow;

/**
 * The study's charts with JFreeChart, each written as PNG and SVG: final validation loss against
 * the learning rate (absolute, and as a multiple of each optimizer's best LR, the paper's Figure 1)
 * with diverged points drawn as crosses at the worst-case loss; validation curves of each
 * optimizer's best run; optimizer memory against the best loss.
 */
public final class Plots {

    static final int WIDTH = 820;
    static final int HEIGHT = 520;

    private Plots() {
    }

    public static JFreeChart lossVsLr(List<OptimizerSummary> summaries, boolean relative) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (OptimizerSummary s : summaries) {
            XYSeries line = new XYSeries(s.optimizer(), true, false);
            XYSeries diverged = new XYSeries(s.optimizer() + " (diverged)", true, false);
            for (LrPoint p : s.curve()) {
                if (Double.isNaN(p.lr())) {
                    continue;
                }
                double x = relative ? p.lr() / s.bestLr() : p.lr();
                (p.allDiverged() ? diverged : line).add(x, p.loss());
            }
            data.addSeries(line);
            data.addSeries(diverged);
        }
        LogAxis x = new LogAxis(relative ? "learning rate / best learning rate" : "learning rate");
        x.setSmallestValue(1e-9);
        NumberAxis y = new NumberAxis("final validation loss");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean div = data.getSeriesKey(i).toString().endsWith("(diverged)");
            Color color = color(i / 2);
            renderer.setSeriesPaint(i, color);
            renderer.setSeriesLinesVisible(i, !div);
            renderer.setSeriesShape(i, div ? crossShape() : new Ellipse2D.Double(-3, -3, 6, 6));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesVisibleInLegend(i, !div);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart(relative ? "Final loss vs LR relative to each optimizer's best (x = diverged)"
                : "Final validation loss vs learning rate (x = diverged)", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    public static JFreeChart validationCurves(Map<String, List<MetricRow>> bestRuns) {
        XYSeriesCollection data = new XYSeriesCollection();
        bestRuns.forEach((name, rows) -> {
            XYSeries s = new XYSeries(name, true, false);
            rows.forEach(r -> s.add(r.step(), r.loss()));
            data.addSeries(s);
        });
        NumberAxis x = new NumberAxis("step");
        NumberAxis y = new NumberAxis("validation loss");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, color(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        return new JFreeChart("Validation loss of each optimizer's best run", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    public static JFreeChart memoryVsLoss(List<OptimizerSummary> summaries) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (OptimizerSummary s : summaries) {
            XYSeries one = new XYSeries(s.optimizer());
            one.add(s.stateBytesPerParam(), s.bestLoss());
            data.addSeries(one);
        }
        NumberAxis x = new NumberAxis("optimizer state bytes per parameter");
        NumberAxis y = new NumberAxis("best final validation loss");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, color(i));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-5, -5, 10, 10));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        return new JFreeChart("Memory vs best loss", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    /** Writes {@code name}.png and {@code name}.svg into {@code dir}; returns the PNG bytes. */
    public static byte[] write(JFreeChart chart, Path dir, String name) throws IOException {
        Path png = dir.resolve(name + ".png");
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
        Files.writeString(dir.resolve(name + ".svg"), g2.getSVGDocument());
        return Files.readAllBytes(png);
    }

    private static Color color(int i) {
        Color[] palette = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
            new Color(0x17becf), Color.BLACK};
        return palette[i % palette.length];
    }

    private static java.awt.Shape crossShape() {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        p.moveTo(-5, -5);
        p.lineTo(5, 5);
        p.moveTo(-5, 5);
        p.lineTo(5, -5);
        return new BasicStroke(2f).createStrokedShape(p);
    }
}
