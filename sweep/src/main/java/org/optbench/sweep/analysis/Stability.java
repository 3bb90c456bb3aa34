package org.optbench.sweep.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How stable an optimizer is along one axis, from its curve: the widths of {@link Metric} (with
 * whether each reached the end of the grid, so the true width may be larger), the excess loss with
 * and without imputing divergences, the values of the nearest divergence below and above the best
 * point (NaN when none), and whether the best point lies on the edge of the grid.
 *
 * @param widths          each width metric's value (NaN on a category axis or a curve of one point)
 * @param censored        each width metric's flag: the region reached the end of the grid
 * @param excess          mean excess loss, divergences at the worst case
 * @param excessFinite    mean excess loss of the finite seeds
 * @param excludedPoints  points left out of {@code excessFinite} because every seed diverged
 * @param divergeBelow    the axis value of the nearest point below the best with a divergence, or NaN
 * @param divergeAbove    the same above the best
 * @param divergences     runs that diverged over the curve
 * @param bestOnEdge      the best point is the first or last of two or more
 */
public record Stability(Map<Metric, Double> widths, Map<Metric, Boolean> censored, double excess, double excessFinite,
                        int excludedPoints, double divergeBelow, double divergeAbove, int divergences,
                        boolean bestOnEdge) {

    /** The stability of {@code curve}, divergences counted at {@code worst}. */
    public static Stability of(Curve curve, double worst) {
        double[] x = curve.coordinates();
        double[][] losses = curve.losses();
        Axis.Scale scale = curve.axis().scale();
        Map<Metric, Double> widths = new LinkedHashMap<>();
        Map<Metric, Boolean> censored = new LinkedHashMap<>();
        int best = curve.bestIndex(worst);
        double[] mean = curve.points().stream().mapToDouble(p -> p.mean(worst)).toArray();
        for (Metric m : Metric.values()) {
            if (!m.isWidth()) {
                continue;
            }
            if (scale == Axis.Scale.CATEGORY || mean.length < 2) {
                widths.put(m, Double.NaN);
                censored.put(m, false);
                continue;
            }
            double[] w = width(x, mean, best, m.limit(mean[best]), worst);
            widths.put(m, w[0]);
            censored.put(m, w[1] != 0);
        }
        double below = Double.NaN;
        double above = Double.NaN;
        for (int i = best - 1; i >= 0 && scale != Axis.Scale.CATEGORY; i--) {
            if (curve.points().get(i).diverged() > 0) {
                below = curve.axis().number(curve.points().get(i).value());
                break;
            }
        }
        for (int i = best + 1; i < x.length && scale != Axis.Scale.CATEGORY; i++) {
            if (curve.points().get(i).diverged() > 0) {
                above = curve.axis().number(curve.points().get(i).value());
                break;
            }
        }
        int excluded = (int) curve.points().stream().filter(CurvePoint::allDiverged).count();
        int divergences = curve.points().stream().mapToInt(CurvePoint::diverged).sum();
        boolean edge = x.length > 1 && scale != Axis.Scale.CATEGORY && (best == 0 || best == x.length - 1);
        return new Stability(widths, censored, Metric.EXCESS.of(x, losses, worst, scale),
                Metric.EXCESS_FINITE.of(x, losses, worst, scale), excluded, below, above, divergences, edge);
    }

    /**
     * The width of the region around {@code best} with {@code mean <= limit}, its edges
     * interpolated between the last point inside and the first outside, and 1 in the second
     * element when the region reached the end of the grid (0 otherwise).
     */
    static double[] width(double[] x, double[] mean, int best, double limit, double worst) {
        int[] region = region(mean, best, limit);
        int lo = region[0];
        int hi = region[1];
        double left = lo == 0 ? x[0] : crossing(x[lo], mean[lo], x[lo - 1], Math.min(mean[lo - 1], worst), limit);
        double right = hi == x.length - 1 ? x[hi] : crossing(x[hi], mean[hi], x[hi + 1], Math.min(mean[hi + 1], worst), limit);
        boolean censored = lo == 0 || hi == x.length - 1;
        return new double[] {right - left, censored && x.length > 1 ? 1 : 0};
    }

    /** The first and last index of the run of points around {@code best} with {@code mean <= limit}. */
    static int[] region(double[] mean, int best, double limit) {
        int lo = best;
        int hi = best;
        while (lo > 0 && mean[lo - 1] <= limit) {
            lo--;
        }
        while (hi < mean.length - 1 && mean[hi + 1] <= limit) {
            hi++;
        }
        return new int[] {lo, hi};
    }

    /** Where the line from (xIn, yIn) to (xOut, yOut) crosses {@code limit}; yIn <= limit < yOut. */
    private static double crossing(double xIn, double yIn, double xOut, double yOut, double limit) {
        if (!(yOut > yIn)) {
            return xIn;
        }
        return xIn + (limit - yIn) / (yOut - yIn) * (xOut - xIn);
    }

    /** Whether point {@code i} lies in the excess window around {@code best}: one decade on a log axis, all on a linear one. */
    private static boolean inWindow(double[] x, int i, int best, Axis.Scale scale) {
        return scale != Axis.Scale.LOG || Math.abs(x[i] - x[best]) <= 1 + 1e-9;
    }

    static double excess(double[] x, double[] mean, int best, Axis.Scale scale) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (inWindow(x, i, best, scale)) {
                sum += mean[i] - mean[best];
                n++;
            }
        }
        return sum / n;
    }

    static double excessFinite(double[] x, double[][] losses, int best, Axis.Scale scale) {
        double bestFinite = finiteMean(losses[best]);
        if (Double.isNaN(bestFinite)) {
            return Double.NaN;
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            double m = finiteMean(losses[i]);
            if (inWindow(x, i, best, scale) && !Double.isNaN(m)) {
                sum += m - bestFinite;
                n++;
            }
        }
        return sum / n;
    }

    private static double finiteMean(double[] losses) {
        return Arrays.stream(losses).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
