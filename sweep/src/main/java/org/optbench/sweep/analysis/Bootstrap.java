package org.optbench.sweep.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The standard error of a curve statistic (a width, an excess, a difference of two) by a residual
 * bootstrap over seeds that resamples every point, a point with one seed included. A sample is a
 * list of points, each with its seeds' losses (+infinity for a divergence) and the seeds that gave
 * them. A seed fixes the initial weights and the data order of every point it runs, so a loss is
 * modelled as the point's level plus the seed's effect plus a residual, fitted on the points whose
 * seeds all finished and number two or more; a one-seed point's level is its loss less its seed's
 * effect. A resample draws seeds with replacement and rebuilds every point as its level plus the
 * drawn seeds' effects (the same draws at every point and in both arms of a comparison, so what a
 * seed shares stays shared and arms on the same seeds are paired) plus residuals drawn from the
 * pool. A point where a seed diverged redraws its own seeds (divergence is not a Gaussian
 * deviation), and one with a single diverged seed stays as it is. The interval is estimate +- t *
 * se with one degree of freedom fewer than the distinct seeds. {@code InferenceSimulationTest}
 * checks in simulated studies of known truth that it covers the widths' truth at 90% or more for a
 * nominal 95% from {@link #MIN_SEEDS} seeds, with every point seeded or only those around the
 * optimum; the excess, whose window follows the noisy optimum, is biased, and its coverage falls
 * as seeds are added (0.90 at 10 seeds), so claims do not rest on it. The generator is seeded, so
 * a report is the same every time it is written.
 *
 * @param samples resamples drawn
 * @param seed    the generator's seed
 */
public record Bootstrap(int samples, long seed) {

    /** The default: 2,000 resamples. */
    public static final int DEFAULT_SAMPLES = 2000;

    /**
     * The fewest seeds at which the interval of a width reaches its coverage band in simulation;
     * with fewer a claim on a width is inconclusive.
     */
    public static final int MIN_SEEDS = 3;

    /** The pooled seed standard deviation of {@code points}; NaN when no point has two finished seeds. */
    public static double pooledSd(double[][] points) {
        double ss = 0;
        int df = 0;
        for (double[] p : points) {
            if (p.length < 2 || !Arrays.stream(p).allMatch(Double::isFinite)) {
                continue;
            }
            double mean = Arrays.stream(p).average().orElseThrow();
            for (double v : p) {
                ss += (v - mean) * (v - mean);
            }
            df += p.length - 1;
        }
        return df == 0 ? Double.NaN : Math.sqrt(ss / df);
    }

    /**
     * The statistic's estimate with its bootstrap standard error, as a t statistic with one degree
     * of freedom fewer than the distinct seeds; null when no point has two finished seeds.
     *
     * @param points    each point's seed losses
     * @param seeds     each point's seeds, in the same order
     * @param statistic what to compute on the points
     */
    public TTest test(double[][] points, long[][] seeds, ToDoubleFunction<double[][]> statistic) {
        Sample sample = new Sample(points, seeds);
        double estimate = statistic.applyAsDouble(points);
        if (!sample.hasVariance() || Double.isNaN(estimate)) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int b = 0; b < samples; b++) {
            double v = statistic.applyAsDouble(sample.resample(rng));
            if (Double.isFinite(v)) {
                sum += v;
                sumSq += v * v;
                n++;
            }
        }
        if (n < 2) {
            return null;
        }
        double mean = sum / n;
        double se = Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1)));
        return new TTest(estimate, se, Math.max(1, sample.units.length - 1));
    }

    /** The statistic's {@code level} interval, or NaNs when it has no seeds to resample. */
    public double[] interval(double[][] points, long[][] seeds, ToDoubleFunction<double[][]> statistic, double level) {
        TTest t = test(points, seeds, statistic);
        return t == null ? new double[] {Double.NaN, Double.NaN} : t.interval(level);
    }

    /**
     * Points fitted by an additive model of point and seed, loss = level(point) + effect(seed) +
     * residual, on the points whose seeds all finished and number two or more (alternating means,
     * the effects centred); a one-seed point's level is its loss less its seed's effect. The
     * effects and residuals are scaled by sqrt(m / (m - dof)) so that their spread is unbiased.
     */
    private static final class Sample {

        private static final int FIT_ROUNDS = 50;

        final double[][] points;
        final long[][] seeds;
        final long[] units;
        /** Per point: its level, NaN where a seed diverged. */
        final double[] levels;
        /** Per unit (distinct seed): its scaled effect, 0 where no multi-seed point ran it. */
        final double[] effects;
        /** Scaled residuals of the multi-seed points; empty without any. */
        final double[] pool;

        Sample(double[][] points, long[][] seeds) {
            this.points = points;
            this.seeds = seeds;
            TreeSet<Long> all = new TreeSet<>();
            for (long[] s : seeds) {
                for (long x : s) {
                    all.add(x);
                }
            }
            this.units = all.stream().mapToLong(Long::longValue).toArray();
            int[][] unit = new int[points.length][];
            boolean[] multi = new boolean[points.length];
            for (int i = 0; i < points.length; i++) {
                unit[i] = Arrays.stream(seeds[i]).mapToInt(x -> Arrays.binarySearch(units, x)).toArray();
                multi[i] = points[i].length > 1 && Arrays.stream(points[i]).allMatch(Double::isFinite);
            }
            double[] u = new double[units.length];
            int[] runs = new int[units.length];
            levels = new double[points.length];
            Arrays.fill(levels, Double.NaN);
            for (int round = 0; round < FIT_ROUNDS; round++) {
                for (int i = 0; i < points.length; i++) {
                    if (multi[i]) {
                        double sum = 0;
                        for (int j = 0; j < points[i].length; j++) {
                            sum += points[i][j] - u[unit[i][j]];
                        }
                        levels[i] = sum / points[i].length;
                    }
                }
                double[] sum = new double[units.length];
                Arrays.fill(runs, 0);
                for (int i = 0; i < points.length; i++) {
                    if (multi[i]) {
                        for (int j = 0; j < points[i].length; j++) {
                            sum[unit[i][j]] += points[i][j] - levels[i];
                            runs[unit[i][j]]++;
                        }
                    }
                }
                double centre = 0;
                int known = 0;
                for (int k = 0; k < units.length; k++) {
                    u[k] = runs[k] == 0 ? 0 : sum[k] / runs[k];
                    if (runs[k] > 0) {
                        centre += u[k];
                        known++;
                    }
                }
                for (int k = 0; k < units.length && known > 0; k++) {
                    if (runs[k] > 0) {
                        u[k] -= centre / known;
                    }
                }
            }
            java.util.List<Double> residuals = new java.util.ArrayList<>();
            int multiPoints = 0;
            for (int i = 0; i < points.length; i++) {
                if (multi[i]) {
                    multiPoints++;
                    for (int j = 0; j < points[i].length; j++) {
                        residuals.add(points[i][j] - levels[i] - u[unit[i][j]]);
                    }
                } else if (points[i].length == 1 && Double.isFinite(points[i][0])) {
                    levels[i] = points[i][0] - u[unit[i][0]];
                }
            }
            int known = (int) Arrays.stream(runs).filter(r -> r > 0).count();
            int residualDof = residuals.size() - multiPoints - Math.max(0, known - 1);
            double residualScale = residualDof > 0 ? Math.sqrt(residuals.size() / (double) residualDof) : 0;
            this.pool = multiPoints == 0 ? new double[0]
                    : residuals.stream().mapToDouble(e -> e * residualScale).toArray();
            double effectScale = known > 1 ? Math.sqrt(known / (known - 1.0)) : 0;
            this.effects = Arrays.stream(u).map(e -> e * effectScale).toArray();
        }

        boolean hasVariance() {
            return pool.length > 0;
        }

        double[][] resample(SplittableRandom rng) {
            int draws = Arrays.stream(points).mapToInt(p -> p.length).max().orElse(0);
            int[] drawn = new int[draws];
            for (int k = 0; k < draws; k++) {
                drawn[k] = rng.nextInt(units.length);
            }
            double[][] out = new double[points.length][];
            for (int i = 0; i < points.length; i++) {
                double[] p = points[i];
                if (Double.isNaN(levels[i])) {
                    if (p.length < 2) {
                        out[i] = p;
                        continue;
                    }
                    double[] r = new double[p.length];
                    for (int k = 0; k < p.length; k++) {
                        int at = position(seeds[i], units[drawn[k]]);
                        r[k] = at >= 0 ? p[at] : p[rng.nextInt(p.length)];
                    }
                    out[i] = r;
                    continue;
                }
                double[] r = new double[p.length];
                for (int k = 0; k < p.length; k++) {
                    r[k] = levels[i] + effects[drawn[k]] + pool[rng.nextInt(pool.length)];
                }
                out[i] = r;
            }
            return out;
        }

        private static int position(long[] seeds, long seed) {
            for (int j = 0; j < seeds.length; j++) {
                if (seeds[j] == seed) {
                    return j;
                }
            }
            return -1;
        }
    }
}
