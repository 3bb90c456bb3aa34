package org.optbench.sweep.analysis;

import java.util.List;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * One optimizer's findings along its summary axis as plain numbers, the row an API or a table
 * shows: its trial counts, the best point and its seeds, the widths and excess, the divergence
 * edges, and the curve. Undefined numbers are NaN; an optimizer with no finished trial has only
 * its counts.
 *
 * @param optimizer          the optimizer
 * @param trials             finished trials (cancelled ones aside)
 * @param diverged           trials that diverged
 * @param axis               the axis of the row
 * @param stateBytesPerParam optimizer state bytes per parameter
 * @param finished           whether any trial finished (else only the counts are set)
 * @param bestLoss           the best point's mean loss, divergences at the worst case
 * @param bestValue          the best point's axis value as written
 * @param bestLr             the best learning rate when the axis is a numeric lr, else NaN
 * @param width002           width within 0.02 nats
 * @param width01            width within 0.1 nats
 * @param width1pct          width within 1%
 * @param width5pct          width within 5%
 * @param excess             mean excess, divergences at the worst case
 * @param excessFinite       mean excess of the finite seeds
 * @param divergeBelow       the nearest diverging value below the best
 * @param divergeAbove       the nearest diverging value above the best
 * @param bestOnEdge         whether the best point is on the grid's edge
 * @param seedMean           mean over the best point's seeds
 * @param seedStd            their standard deviation (NaN with one)
 * @param ci95               half-width of the best loss's 95% t-interval
 * @param bestTrialId        a trial at the best point, or empty
 * @param curve              the points in axis order
 * @param width1pctCensored  whether the 1% width's region reaches the grid's end (the width is a lower bound)
 */
public record SummaryRow(String optimizer, int trials, int diverged, String axis, double stateBytesPerParam,
                         boolean finished, double bestLoss, String bestValue, double bestLr, double width002,
                         double width01, double width1pct, double width5pct, double excess, double excessFinite,
                         double divergeBelow, double divergeAbove, boolean bestOnEdge, double seedMean, double seedStd,
                         double ci95, String bestTrialId, List<Point> curve, boolean width1pctCensored) {

    /**
     * A point of the curve.
     *
     * @param value    the axis value as a number (its coordinate on a category axis)
     * @param loss     mean loss over seeds, divergences at the worst case
     * @param seeds    seeds run
     * @param diverged seeds that diverged
     */
    public record Point(double value, double loss, int seeds, int diverged) {
    }

    public SummaryRow {
        curve = List.copyOf(curve);
    }

    /** The row of {@code s} with its counts and state bytes per parameter. */
    static SummaryRow of(OptimizerFindings s, Findings.Counts counts, double stateBytesPerParam) {
        if (s.isEmpty()) {
            return new SummaryRow(s.optimizer(), counts.trials(), counts.diverged(), s.axis().name(), stateBytesPerParam,
                    false, Double.NaN, "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, false, Double.NaN, Double.NaN, Double.NaN, "", List.of(), false);
        }
        Stability st = s.stability();
        double[] seeds = s.bestSeeds();
        double[] ci = s.bestInterval();
        SummaryStatistics stats = new SummaryStatistics();
        for (double v : seeds) {
            stats.addValue(v);
        }
        Axis axis = s.axis();
        List<Point> curve = s.curve().points().stream().map(p -> new Point(axis.numeric() && !Double.isNaN(p.x())
                ? axis.number(p.value()) : p.x(), p.mean(s.worst()), p.losses().length, p.diverged())).toList();
        return new SummaryRow(s.optimizer(), counts.trials(), counts.diverged(), axis.name(), stateBytesPerParam, true,
                s.bestLoss(), s.best().value().text(), axis.name().equals("lr") && axis.numeric()
                ? axis.number(s.best().value()) : Double.NaN, st.widths().get(Metric.WIDTH_002),
                st.widths().get(Metric.WIDTH_01), st.widths().get(Metric.WIDTH_1PCT), st.widths().get(Metric.WIDTH_5PCT),
                st.excess(), st.excessFinite(), st.divergeBelow(), st.divergeAbove(), st.bestOnEdge(), stats.getMean(),
                seeds.length > 1 ? stats.getStandardDeviation() : Double.NaN,
                Double.isNaN(ci[0]) ? Double.NaN : (ci[1] - ci[0]) / 2,
                s.best().trialIds().isEmpty() ? "" : s.best().trialIds().get(0), curve,
                Boolean.TRUE.equals(st.censored().get(Metric.WIDTH_1PCT)));
    }
}
