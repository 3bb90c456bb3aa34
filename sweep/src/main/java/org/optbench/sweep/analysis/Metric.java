package org.optbench.sweep.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A number a curve is summarised by, computed from the points' coordinates and seed losses alone,
 * so the bootstrap can recompute it on resampled seeds and a claim can compare it between two
 * arms. The point loss is the mean over seeds with divergences at the worst-case loss; the best
 * point is the one with the lowest.
 * <ul>
 *   <li>{@code best_loss}: the best point's loss.</li>
 *   <li>{@code width_1pct}, {@code width_5pct}: the width along the axis (decades on a log axis)
 *       of the region around the best point whose loss is within 1% / 5% of the best loss;
 *       {@code width_0.02}, {@code width_0.1}: within 0.02 / 0.1 nats. The edges are interpolated
 *       linearly (in log10 of the value on a log axis) between the last point inside and the first
 *       outside, a diverged neighbour counting as the worst case. A region that reaches the end of
 *       the grid stops there (see {@link Stability#censored}).</li>
 *   <li>{@code excess}: the mean of (loss - best loss) over the points within one decade of the
 *       best (a log axis) or over all points (a linear axis), divergences at the worst case;
 *       {@code excess_finite}: the same from the finite seeds only, leaving out points where
 *       every seed diverged.</li>
 *   <li>{@code divergences}: the runs that diverged, over the curve's points.</li>
 * </ul>
 */
public enum Metric {
    BEST_LOSS("best_loss", false, Double.NaN, false),
    WIDTH_1PCT("width_1pct", true, 0.01, true),
    WIDTH_5PCT("width_5pct", true, 0.05, true),
    WIDTH_002("width_0.02", true, 0.02, false),
    WIDTH_01("width_0.1", true, 0.1, false),
    EXCESS("excess", false, Double.NaN, false),
    EXCESS_FINITE("excess_finite", false, Double.NaN, false),
    DIVERGENCES("divergences", false, Double.NaN, false);

    private final String key;
    private final boolean width;
    private final double threshold;
    private final boolean relative;

    Metric(String key, boolean width, double threshold, boolean relative) {
        this.key = key;
        this.width = width;
        this.threshold = threshold;
        this.relative = relative;
    }

    /** The name in specs and in summary.json. */
    public String key() {
        return key;
    }

    /**
     * Whether a claim may rest on this metric's interval: best loss (t over seeds) and the widths
     * (bootstrap, coverage checked by simulation). The excess's window follows the noisy optimum,
     * and its bootstrap interval under-covers; divergence counts have no checked interval.
     */
    public boolean hasCheckedInterval() {
        return this == BEST_LOSS || width;
    }

    /** Whether this is a width (larger is better); for the others smaller is better. */
    public boolean isWidth() {
        return width;
    }

    public boolean higherIsBetter() {
        return width;
    }

    /** The metric named {@code key}; the error lists the names. */
    public static Metric of(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'; choose one of " + keys());
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Metric::key).toList();
    }

    /** The loss limit of a width around the best loss. */
    double limit(double best) {
        return relative ? best * (1 + threshold) : best + threshold;
    }

    /**
     * This metric of a curve with coordinates {@code x} (ascending) and seed losses ({@code
     * +infinity} for a divergence) per point; NaN where it is undefined (no points, a width
     * along a category).
     */
    public double of(double[] x, double[][] losses, double worst, Axis.Scale scale) {
        if (losses.length == 0) {
            return Double.NaN;
        }
        double[] mean = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            mean[i] = Arrays.stream(CurvePoint.imputed(losses[i], worst)).average().orElse(Double.NaN);
        }
        int best = argmin(mean);
        return switch (this) {
            case BEST_LOSS -> mean[best];
            case WIDTH_1PCT, WIDTH_5PCT, WIDTH_002, WIDTH_01 -> scale == Axis.Scale.CATEGORY ? Double.NaN
                    : Stability.width(x, mean, best, limit(mean[best]), worst)[0];
            case EXCESS -> scale == Axis.Scale.CATEGORY ? Double.NaN : Stability.excess(x, mean, best, scale);
            case EXCESS_FINITE -> scale == Axis.Scale.CATEGORY ? Double.NaN : Stability.excessFinite(x, losses, best, scale);
            case DIVERGENCES -> Arrays.stream(losses).mapToLong(p -> Arrays.stream(p)
                    .filter(l -> l == Double.POSITIVE_INFINITY).count()).sum();
        };
    }

    /** The index of the smallest value (the first of ties). */
    static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }
}
