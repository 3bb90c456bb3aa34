package org.optbench.sweep.analysis;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a sweep says about one optimizer along one axis: its curve, the best point (value, loss,
 * seed losses), the stability metrics, and a 95% interval for every {@link Metric}: the
 * t-interval over the best point's seeds for best loss, the pooled residual bootstrap
 * ({@link Bootstrap}) for the others (NaNs when no point has two finished seeds). Counts cover the
 * optimizer's trials on the curve's points.
 *
 * @param curve      the curve
 * @param worst      the worst-case loss divergences count as
 * @param stability  widths, excess, divergence edges
 * @param intervals  each metric's 95% interval
 */
public record OptimizerFindings(Curve curve, double worst, Stability stability, Map<Metric, double[]> intervals) {

    /** The findings of {@code curve}, with {@code bootstrap} for the intervals. */
    public static OptimizerFindings of(Curve curve, double worst, Bootstrap bootstrap) {
        Map<Metric, double[]> intervals = new EnumMap<>(Metric.class);
        double[] x = curve.coordinates();
        double[][] losses = curve.losses();
        for (Metric m : Metric.values()) {
            intervals.put(m, curve.points().isEmpty() ? new double[] {Double.NaN, Double.NaN}
                    : m == Metric.BEST_LOSS ? TTest.meanInterval(curve.best(worst).imputed(worst), 0.95)
                    : bootstrap.interval(losses, curve.seeds(), sample -> m.of(x, sample, worst, curve.axis().scale()), 0.95));
        }
        return new OptimizerFindings(curve, worst, Stability.of(curve, worst), intervals);
    }

    public String optimizer() {
        return curve.optimizer();
    }

    public Axis axis() {
        return curve.axis();
    }

    public boolean isEmpty() {
        return curve.points().isEmpty();
    }

    public CurvePoint best() {
        return curve.best(worst);
    }

    /** The best point's loss: the mean over its seeds, divergences at the worst case. */
    public double bestLoss() {
        return best().mean(worst);
    }

    /** The best point's seed losses, divergences at the worst case: what tests between optimizers use. */
    public double[] bestSeeds() {
        return best().imputed(worst);
    }

    /** The metric's value on this curve. */
    public double value(Metric m) {
        return m.of(curve.coordinates(), curve.losses(), worst, curve.axis().scale());
    }

    /** The t-based 95% interval of the best point's mean loss; NaNs with one seed. */
    public double[] bestInterval() {
        return TTest.meanInterval(bestSeeds(), 0.95);
    }

    /**
     * The edge warning, or null: "the best lr of lion (0.01) is on the edge of its grid".
     * {@code extendEdgesMax} is what extend_edges may add along this axis: 0 when it is off, -1
     * when it does not act along it (a setting other than the one it extends).
     */
    public String edgeWarning(int extendEdgesMax) {
        if (!stability.bestOnEdge()) {
            return null;
        }
        int i = curve.bestIndex(worst);
        return "the best " + axis().name() + " of " + optimizer() + " (" + best().value() + ") is on the "
                + (i == 0 ? "low" : "high") + " edge of its grid; " + (extendEdgesMax > 0
                        ? "extend_edges stops after " + extendEdgesMax + " point" + (extendEdgesMax == 1 ? "" : "s")
                                + " per edge: raise extend_edges.max_points or move the grid"
                        : extendEdgesMax < 0 ? "a value past it was not tried" : "extend the grid (or set extend_edges: true)");
    }
}
