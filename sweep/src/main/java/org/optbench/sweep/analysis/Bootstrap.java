package org.optbench.sweep.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap over seeds. A sample is a curve's points, each with its seeds' values; a
 * resample draws, independently at every point, as many values as that point has, with
 * replacement, so a point with one seed stays as it is. The statistic is recomputed on each
 * resample and the interval is read from the empirical quantiles (type 7, as numpy's default).
 * The generator is seeded, so a report is the same every time it is written.
 *
 * @param samples resamples drawn
 * @param seed    the generator's seed
 */
public record Bootstrap(int samples, long seed) {

    /** The default: 2,000 resamples. */
    public static final int DEFAULT_SAMPLES = 2000;

    /** Whether any point has two or more values, without which every resample equals the sample. */
    public static boolean resamplable(double[][] points) {
        return Arrays.stream(points).anyMatch(p -> p.length > 1);
    }

    /** The statistic over {@link #samples} resamples of {@code points} (NaN results dropped). */
    public double[] distribution(double[][] points, ToDoubleFunction<double[][]> statistic) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[samples];
        int n = 0;
        for (int b = 0; b < samples; b++) {
            double v = statistic.applyAsDouble(resample(points, rng));
            if (!Double.isNaN(v)) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The central {@code level} interval of the statistic; NaNs when no point can be resampled. */
    public double[] interval(double[][] points, ToDoubleFunction<double[][]> statistic, double level) {
        if (!resamplable(points)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return interval(distribution(points, statistic), level);
    }

    /** The central {@code level} interval of a distribution (type-7 quantiles). */
    public static double[] interval(double[] values, double level) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)};
    }

    /** The type-7 quantile of sorted values: linear between the order statistics at (n - 1) q. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[][] resample(double[][] points, SplittableRandom rng) {
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            double[] p = points[i];
            if (p.length < 2) {
                out[i] = p;
                continue;
            }
            double[] r = new double[p.length];
            for (int j = 0; j < p.length; j++) {
                r[j] = p[rng.nextInt(p.length)];
            }
            out[i] = r;
        }
        return out;
    }
}
