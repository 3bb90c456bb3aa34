package org.optbench.sweep.analysis;

import java.util.List;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.SweptValue;

/**
 * Evaluates claims on a sweep's finished trials. Each arm's trials are analysed along the
 * learning rate when it varies in the arm (else along the arm's first varying setting); the
 * metric is taken on each arm's curve. Best loss is compared with Welch's t over the seeds at
 * each arm's best point; every other metric with a bootstrap over seeds (each arm resampled on its
 * own). Claims are tested one at a time at 5%, with no correction across claims.
 */
public final class Claims {

    private Claims() {
    }

    /** The curve an arm's metric is read from. */
    static Curve curve(Arm arm, List<TrialRecord> trials, double worst) {
        List<TrialRecord> mine = trials.stream().filter(arm::contains).toList();
        List<String> varying = Curves.varying(mine);
        varying.removeAll(arm.where().keys());
        String axis = varying.contains("lr") ? "lr" : varying.isEmpty() ? "lr" : varying.get(0);
        List<SweptValue> values = mine.stream().map(t -> t.point().getOrDefault(axis, Axis.DEFAULT)).toList();
        return Curves.along(arm.label(), Axis.of(axis, values.isEmpty() ? List.of(Axis.DEFAULT) : values), mine, worst);
    }

    public static ClaimResult evaluate(ClaimSpec c, List<TrialRecord> trials, double worst, Bootstrap bootstrap) {
        Curve a = curve(c.a(), trials, worst);
        Curve b = curve(c.b(), trials, worst);
        double[] none = {Double.NaN, Double.NaN};
        if (a.points().isEmpty() || b.points().isEmpty()) {
            return new ClaimResult(c, ClaimResult.INCONCLUSIVE, Double.NaN, none, "none", Double.NaN,
                    "no finished trials for " + (a.points().isEmpty() ? c.a().label() : c.b().label()));
        }
        double estimate = c.metric().of(a.coordinates(), a.losses(), worst, a.axis().scale())
                - c.metric().of(b.coordinates(), b.losses(), worst, b.axis().scale());
        double[] ci95;
        double[] ci90;
        double p = Double.NaN;
        String method;
        if (c.metric() == Metric.BEST_LOSS) {
            method = "welch";
            Welch w = Welch.of(a.best(worst).imputed(worst), b.best(worst).imputed(worst));
            if (w == null) {
                return new ClaimResult(c, ClaimResult.INCONCLUSIVE, estimate, none, method, Double.NaN,
                        "needs at least two seeds at each arm's best point (use seeds or refine)");
            }
            ci95 = w.interval(0.95);
            ci90 = w.interval(0.90);
            p = c.type() == ClaimSpec.Type.EQUIVALENT ? w.tost(c.margin()) : w.p();
        } else {
            method = "bootstrap";
            ci95 = difference(bootstrap, a, b, c.metric(), worst, 0.95);
            ci90 = difference(bootstrap, a, b, c.metric(), worst, 0.90);
            if (Double.isNaN(ci95[0])) {
                return new ClaimResult(c, ClaimResult.INCONCLUSIVE, estimate, none, method, Double.NaN,
                        "needs seeds to resample (use seeds or refine)");
            }
        }
        return new ClaimResult(c, verdict(c, ci95, ci90), estimate, ci95, method, p, "");
    }

    /** The interval of metric(a) - metric(b) with both arms resampled over seeds. */
    private static double[] difference(Bootstrap bootstrap, Curve a, Curve b, Metric m, double worst, double level) {
        if (!Bootstrap.resamplable(a.losses()) && !Bootstrap.resamplable(b.losses())) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[][] both = new double[a.points().size() + b.points().size()][];
        System.arraycopy(a.losses(), 0, both, 0, a.points().size());
        System.arraycopy(b.losses(), 0, both, a.points().size(), b.points().size());
        int n = a.points().size();
        double[] ax = a.coordinates();
        double[] bx = b.coordinates();
        double[] d = bootstrap.distribution(both, s -> m.of(ax, java.util.Arrays.copyOfRange(s, 0, n), worst, a.axis().scale())
                - m.of(bx, java.util.Arrays.copyOfRange(s, n, s.length), worst, b.axis().scale()));
        return Bootstrap.interval(d, level);
    }

    static String verdict(ClaimSpec c, double[] ci95, double[] ci90) {
        if (c.type() == ClaimSpec.Type.EQUIVALENT) {
            double m = c.margin();
            if (ci90[0] > -m && ci90[1] < m) {
                return ClaimResult.SUPPORTED;
            }
            if (ci95[0] >= m || ci95[1] <= -m) {
                return ClaimResult.REFUTED;
            }
            return ClaimResult.INCONCLUSIVE;
        }
        int sign = c.assertedSign();
        if (sign > 0 ? ci95[0] > 0 : ci95[1] < 0) {
            return ClaimResult.SUPPORTED;
        }
        if (sign > 0 ? ci95[1] < 0 : ci95[0] > 0) {
            return ClaimResult.REFUTED;
        }
        return ClaimResult.INCONCLUSIVE;
    }
}
