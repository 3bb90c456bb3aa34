package org.optbench.sweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.optbench.sweep.analysis.Axis;
import org.optbench.sweep.analysis.CurvePoint;
import org.optbench.sweep.analysis.OptimizerFindings;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.trial.SweptValue;

/**
 * The study's charts with JFreeChart, each written as PNG and SVG, on a white background with one
 * colour per optimizer across every chart. Loss along an axis: the mean final validation loss over
 * seeds (finite seeds) with its 95% band, and points where a seed diverged drawn as markers in a
 * strip above the finite range (a cross when every seed diverged, a triangle when some did), so no
 * imputed value squashes the axis. On a log axis the loss can also be drawn against each
 * optimizer's value relative to its best (the paper's Figure 1). Also: validation curves of each
 * optimizer's best run, and optimizer memory against the best loss.
 */
public final class Plots {

    public static final int WIDTH = 900;
    static final int HEIGHT = 560;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf), Color.BLACK};

    private Plots() {
    }

    /** The colour of the optimizer at {@code index} in the report's optimizer order. */
    public static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** The axis value of the curve's lowest finite mean (the best point when no seed there diverged). */
    private static double bestFinite(Axis axis, OptimizerFindings f) {
        return f.curve().points().stream().filter(p -> !Double.isNaN(p.finiteMean()) && !Double.isNaN(p.x()))
                .min(java.util.Comparator.comparingDouble(CurvePoint::finiteMean))
                .map(p -> axis.number(p.value())).orElse(axis.number(f.best().value()));
    }

    /**
     * Loss along one axis, one line per curve; {@code relative} puts each curve's values over the
     * value of its lowest finite mean (log axes only). {@code colours} maps optimizers to their palette index.
     */
    public static JFreeChart lossAlong(Axis axis, List<OptimizerFindings> curves, boolean relative, String caption,
                                       Map<String, Integer> colours) {
        YIntervalSeriesCollection lines = new YIntervalSeriesCollection();
        XYSeriesCollection diverged = new XYSeriesCollection();
        double top = Double.NEGATIVE_INFINITY;
        double bottom = Double.POSITIVE_INFINITY;
        for (OptimizerFindings f : curves) {
            for (CurvePoint p : f.curve().points()) {
                if (!Double.isNaN(p.finiteMean())) {
                    double[] band = p.band();
                    top = Math.max(top, Double.isNaN(band[1]) ? p.finiteMean() : band[1]);
                    bottom = Math.min(bottom, Double.isNaN(band[0]) ? p.finiteMean() : band[0]);
                }
            }
        }
        if (top == Double.NEGATIVE_INFINITY) {
            top = 1;
            bottom = 0;
        }
        double strip = top + Math.max(0.08 * (top - bottom), 0.02);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        for (OptimizerFindings f : curves) {
            YIntervalSeries line = new YIntervalSeries(f.optimizer(), true, false);
            XYSeries all = new XYSeries(f.optimizer() + " (all seeds diverged)", true, false);
            XYSeries some = new XYSeries(f.optimizer() + " (some seeds diverged)", true, false);
            double bestValue = axis.scale() == Axis.Scale.CATEGORY || f.isEmpty() ? 1 : bestFinite(axis, f);
            for (CurvePoint p : f.curve().points()) {
                if (Double.isNaN(p.x())) {
                    continue;
                }
                double x = axis.scale() == Axis.Scale.CATEGORY ? p.x()
                        : relative ? axis.number(p.value()) / bestValue : axis.number(p.value());
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                if (!Double.isNaN(p.finiteMean())) {
                    double[] band = p.band();
                    double m = p.finiteMean();
                    line.add(x, m, Double.isNaN(band[0]) ? m : band[0], Double.isNaN(band[1]) ? m : band[1]);
                }
                if (p.allDiverged()) {
                    all.add(x, strip);
                } else if (p.diverged() > 0) {
                    some.add(x, strip);
                }
            }
            lines.addSeries(line);
            diverged.addSeries(all);
            diverged.addSeries(some);
        }
        ValueAxis domain = domainAxis(axis, relative);
        XYPlot plot = new XYPlot(lines, domain, rangeAxis(bottom, strip), bandRenderer(curves, colours));
        if (domain instanceof LogAxis log && maxX > minX) {
            double span = Math.log10(maxX) - Math.log10(minX);
            log.setTickUnit(new NumberTickUnit(span >= 2 ? 1 : 0.5), false, true);
            log.setNumberFormatOverride(new TickFormat());
        }
        XYLineAndShapeRenderer markers = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < diverged.getSeriesCount(); i++) {
            markers.setSeriesPaint(i, color(colours.getOrDefault(curves.get(i / 2).optimizer(), i / 2)));
            markers.setSeriesShape(i, i % 2 == 0 ? cross() : triangle());
            markers.setSeriesVisibleInLegend(i, false);
        }
        plot.setDataset(1, diverged);
        plot.setRenderer(1, markers);
        style(plot);
        String title = relative ? "Final loss vs " + axis.name() + " / each optimizer's best " + axis.name()
                : "Final validation loss vs " + axis.name();
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(caption, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static DeviationRenderer bandRenderer(List<OptimizerFindings> curves, Map<String, Integer> colours) {
        DeviationRenderer r = new DeviationRenderer(true, true);
        r.setAlpha(0.18f);
        for (int i = 0; i < curves.size(); i++) {
            Color c = color(colours.getOrDefault(curves.get(i).optimizer(), i));
            r.setSeriesPaint(i, c);
            r.setSeriesFillPaint(i, c);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        return r;
    }

    private static ValueAxis domainAxis(Axis axis, boolean relative) {
        String label = relative ? axis.name() + " / best " + axis.name() : axis.name();
        return switch (axis.scale()) {
            case LOG -> {
                LogAxis x = new LogAxis(label + " (log scale)");
                x.setBase(10);
                x.setSmallestValue(1e-12);
                x.setLowerMargin(0.05);
                x.setUpperMargin(0.05);
                yield x;
            }
            case LINEAR -> {
                NumberAxis x = new NumberAxis(label);
                x.setAutoRangeIncludesZero(false);
                yield x;
            }
            case CATEGORY -> new SymbolAxis(label, axis.values().stream().map(SweptValue::text).toArray(String[]::new));
        };
    }

    private static NumberAxis rangeAxis(double bottom, double strip) {
        NumberAxis y = new NumberAxis("final validation loss (mean over seeds, 95% band)");
        y.setAutoRangeIncludesZero(false);
        double pad = Math.max(0.03 * (strip - bottom), 0.005);
        y.setRange(bottom - pad, strip + pad);
        return y;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(Color.GRAY);
    }

    public static JFreeChart validationCurves(Map<String, List<MetricRow>> bestRuns, Map<String, Integer> colours) {
        XYSeriesCollection data = new XYSeriesCollection();
        bestRuns.forEach((name, rows) -> {
            XYSeries s = new XYSeries(name, true, false);
            rows.stream().filter(r -> r.loss() != null && Double.isFinite(r.loss())).forEach(r -> s.add(r.step(), r.loss()));
            data.addSeries(s);
        });
        NumberAxis x = new NumberAxis("step");
        NumberAxis y = new NumberAxis("validation loss");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, color(colours.getOrDefault(String.valueOf(data.getSeriesKey(i)), i)));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        JFreeChart chart = new JFreeChart("Validation loss of each optimizer's best run", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    public static JFreeChart memoryVsLoss(Map<String, double[]> bytesAndLoss, Map<String, Integer> colours) {
        XYSeriesCollection data = new XYSeriesCollection();
        bytesAndLoss.forEach((opt, v) -> {
            XYSeries one = new XYSeries(opt);
            if (!Double.isNaN(v[0])) {
                one.add(v[0], v[1]);
            }
            data.addSeries(one);
        });
        NumberAxis x = new NumberAxis("optimizer state bytes per parameter");
        NumberAxis y = new NumberAxis("best final validation loss");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, color(colours.getOrDefault(String.valueOf(data.getSeriesKey(i)), i)));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-5, -5, 10, 10));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        JFreeChart chart = new JFreeChart("Memory vs best loss", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Writes {@code name}.png (at twice the layout size, sharp at page width on any screen) and
     * {@code name}.svg into {@code dir}; returns the PNG bytes.
     */
    public static byte[] write(JFreeChart chart, Path dir, String name) throws IOException {
        Path png = dir.resolve(name + ".png");
        try (java.io.OutputStream out = Files.newOutputStream(png)) {
            ChartUtils.writeScaledChartAsPNG(out, chart, WIDTH, HEIGHT, 2, 2);
        }
        org.jfree.svg.SVGGraphics2D g2 = new org.jfree.svg.SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
        Files.writeString(dir.resolve(name + ".svg"), g2.getSVGDocument());
        return Files.readAllBytes(png);
    }

    private static Shape cross() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(-5, -5);
        p.lineTo(5, 5);
        p.moveTo(-5, 5);
        p.lineTo(5, -5);
        return new BasicStroke(2f).createStrokedShape(p);
    }

    private static Shape triangle() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, -5);
        p.lineTo(5, 4);
        p.lineTo(-5, 4);
        p.closePath();
        return p;
    }
}
