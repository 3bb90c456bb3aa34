package org.optbench.sweep.analysis;

import java.util.List;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * One optimizer's final loss along one axis: a point per axis value, in axis order. The other
 * swept settings are either held at the optimizer's best setting ({@code held}) or, for the
 * learning rate of a non-LR axis, tuned per point ({@code tuned}: each point is the best LR at
 * that value). Values where no trial matches the held settings take their best trial of any
 * setting ({@code unheld}).
 *
 * @param optimizer the optimizer
 * @param axis      the axis
 * @param points    in axis order
 * @param held      other swept settings and the value they are held at
 * @param tuned     settings tuned at every point (the learning rate, on another axis)
 * @param unheld    axis values whose point could not hold the other settings
 * @param tunedEdges axis values whose tuned learning rate is on the edge of the rates tried there
 */
public record Curve(String optimizer, Axis axis, List<CurvePoint> points, Point held, List<String> tuned,
                    List<SweptValue> unheld, List<TunedEdge> tunedEdges) {

    /**
     * A point whose learning rate, tuned per point, is the lowest or highest tried at its value:
     * the optimum there may lie outside the grid.
     *
     * @param value the axis value
     * @param lr    the tuned learning rate
     * @param high  on the high edge (else the low one)
     */
    public record TunedEdge(SweptValue value, SweptValue lr, boolean high) {
    }

    public Curve {
        points = List.copyOf(points);
        tuned = List.copyOf(tuned);
        unheld = List.copyOf(unheld);
        tunedEdges = List.copyOf(tunedEdges);
    }

    public double[] coordinates() {
        return points.stream().mapToDouble(CurvePoint::x).toArray();
    }

    /** The seeds of every point, in the order of {@link #losses}. */
    public long[][] seeds() {
        return points.stream().map(CurvePoint::seeds).toArray(long[][]::new);
    }

    /** The seed losses of every point (+infinity for divergences). */
    public double[][] losses() {
        return points.stream().map(CurvePoint::losses).toArray(double[][]::new);
    }

    /** The index of the point with the lowest mean loss, divergences at {@code worst}. */
    public int bestIndex(double worst) {
        return Metric.argmin(points.stream().mapToDouble(p -> p.mean(worst)).toArray());
    }

    public CurvePoint best(double worst) {
        return points.get(bestIndex(worst));
    }

    /** What the caption says about the other settings: "lr tuned per point; beta2 held at 0.95". */
    public String conditions() {
        StringBuilder s = new StringBuilder();
        if (!tuned.isEmpty()) {
            s.append(String.join(", ", tuned)).append(" tuned per point");
        }
        held.forEach((k, v) -> s.append(s.length() == 0 ? "" : "; ").append(k).append(" held at ").append(v.text()));
        if (!axis.name().equals("lr") && !tuned.contains("lr") && !held.keys().contains("lr")) {
            SweptValue lr = points.isEmpty() ? null : points.get(0).setting().get("lr");
            s.append(s.length() == 0 ? "" : "; ").append("lr fixed").append(lr == null ? " at its default" : " at " + lr.text())
                    .append(", not tuned");
        }
        return s.toString();
    }
}
