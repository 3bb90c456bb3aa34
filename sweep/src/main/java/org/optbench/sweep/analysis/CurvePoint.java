package org.optbench.sweep.analysis;

import java.util.Arrays;
import java.util.List;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * One point of a curve: a setting (every swept value) and what its seeds gave. A seed's loss is
 * its final validation loss, or +infinity when it diverged; seeds that failed, were stopped early
 * or cancelled say nothing about the optimizer and are left out (counted in {@code excluded}).
 *
 * @param value    the axis value
 * @param x        the axis coordinate ({@link Axis#coordinate})
 * @param setting  the swept values of the point's trials
 * @param losses   one per seed: the final loss, or +infinity for a divergence
 * @param seeds    the seed of each loss, in the same order
 * @param trialIds the trials behind the losses, in the same order
 * @param excluded trials at this setting left out (failed, stopped early, cancelled)
 */
public record CurvePoint(SweptValue value, double x, Point setting, double[] losses, long[] seeds, List<String> trialIds,
                         int excluded) {

    public CurvePoint {
        trialIds = List.copyOf(trialIds);
    }

    /** Seeds that diverged. */
    public int diverged() {
        return (int) Arrays.stream(losses).filter(l -> l == Double.POSITIVE_INFINITY).count();
    }

    /** Whether every seed diverged. */
    public boolean allDiverged() {
        return diverged() == losses.length;
    }

    /** The losses with each divergence counted as {@code worst}: what the imputed statistics use. */
    public double[] imputed(double worst) {
        return imputed(losses, worst);
    }

    static double[] imputed(double[] losses, double worst) {
        double[] out = losses.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == Double.POSITIVE_INFINITY) {
                out[i] = worst;
            }
        }
        return out;
    }

    /** The mean over seeds with divergences at {@code worst}. */
    public double mean(double worst) {
        return Arrays.stream(imputed(worst)).average().orElse(Double.NaN);
    }

    /** The finite losses. */
    public double[] finite() {
        return Arrays.stream(losses).filter(Double::isFinite).toArray();
    }

    /** The mean of the finite losses; NaN when every seed diverged. */
    public double finiteMean() {
        return Arrays.stream(finite()).average().orElse(Double.NaN);
    }

    /** The t-based 95% interval of the mean of the finite losses; NaNs with fewer than two. */
    public double[] band() {
        return TTest.meanInterval(finite(), 0.95);
    }

    /** This point with only the seeds in {@code keep} (or only those not in it when {@code keep} is false). */
    public CurvePoint seeds(java.util.Set<Long> chosen, boolean keep) {
        java.util.List<Integer> at = new java.util.ArrayList<>();
        for (int i = 0; i < seeds.length; i++) {
            if (chosen.contains(seeds[i]) == keep) {
                at.add(i);
            }
        }
        return new CurvePoint(value, x, setting, at.stream().mapToDouble(i -> losses[i]).toArray(),
                at.stream().mapToLong(i -> seeds[i]).toArray(), at.stream().map(trialIds::get).toList(), excluded);
    }

    /** Seed to loss with divergences at {@code worst}, for pairing with another point run on the same seeds. */
    public java.util.Map<Long, Double> bySeed(double worst) {
        java.util.Map<Long, Double> out = new java.util.TreeMap<>();
        double[] imputed = imputed(worst);
        for (int i = 0; i < seeds.length; i++) {
            out.put(seeds[i], imputed[i]);
        }
        return out;
    }
}
