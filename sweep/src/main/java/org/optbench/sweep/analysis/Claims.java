package org.optbench.sweep.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * Evaluates a study's claims on its finished trials. Each arm's trials are analysed along the
 * learning rate when it varies in the arm (else along the arm's first varying setting), with its
 * settings chosen on the selection seeds ({@code analysis.select_on}, else every seed) and judged
 * on the others. Best loss is compared at each arm's best setting by the paired t-test of per-seed
 * differences when the two points share at least two seeds and either enough for a verdict or all
 * they ran, else by Welch's test; widths by the seed bootstrap ({@link Bootstrap}) of the
 * difference. Holm's correction runs across the claims no guard holds back. Guards make a claim
 * inconclusive, with a reason, when its compared points have fewer than {@code analysis.min_seeds}
 * seeds, a width reaches the grid's end, an excess lacks two points on each side of its optimum, or
 * the metric has no interval of checked coverage.
 */
public final class Claims {

    private static final double LEVEL = 0.05;

    private Claims() {
    }

    /**
     * A claim tested but not yet judged: its estimate and test (null without seeds), how it was
     * tested, and what holds it back (empty when nothing does).
     */
    private record Evaluation(ClaimSpec claim, double estimate, TTest test, String method, boolean paired, int nA,
                              int nB, int nPairs, double margin, String blocked) {

        double p() {
            if (test == null) {
                return Double.NaN;
            }
            return claim.type() == ClaimSpec.Type.EQUIVALENT ? test.tost(margin) : test.p();
        }

        /** The p-value that enters Holm's family: none for a claim a guard holds back. */
        double familyP() {
            return blocked.isEmpty() ? p() : Double.NaN;
        }
    }

    /** The curve an arm's metric is read from, every seed choosing and judging. */
    static Curve curve(Arm arm, List<TrialRecord> trials, double worst) {
        return curve(arm, trials, worst, Set.of());
    }

    /** The curve an arm's metric is read from: settings chosen on the seeds in {@code select}, points on the others. */
    static Curve curve(Arm arm, List<TrialRecord> trials, double worst, Set<Long> select) {
        List<TrialRecord> mine = trials.stream().filter(arm::contains).toList();
        List<String> varying = Curves.varying(mine);
        varying.removeAll(arm.where().keys());
        varying.removeAll(arm.held().keys());
        String axis = varying.contains("lr") ? "lr" : varying.isEmpty() ? "lr" : varying.get(0);
        List<SweptValue> values = mine.stream().map(t -> t.point().getOrDefault(axis, Axis.DEFAULT)).toList();
        return Curves.along(arm.label(), Axis.of(axis, values.isEmpty() ? List.of(Axis.DEFAULT) : values), mine, worst,
                select);
    }

    /** Every claim of {@code spec} judged on {@code trials} (one sweep's finished trials). */
    public static List<ClaimResult> evaluate(AnalysisSpec spec, List<TrialRecord> trials, double worst,
                                             Bootstrap bootstrap) {
        List<Evaluation> evaluations = spec.claims().stream().map(c -> evaluate(c, spec, trials, worst, bootstrap)).toList();
        double[] p = evaluations.stream().mapToDouble(Evaluation::familyP).toArray();
        double[] adjusted = spec.holm() ? Holm.adjust(p) : p.clone();
        double[] multipliers = spec.holm() ? Holm.multipliers(p) : new double[p.length];
        if (!spec.holm()) {
            Arrays.fill(multipliers, 1);
        }
        long family = Arrays.stream(p).filter(v -> !Double.isNaN(v)).count();
        List<ClaimResult> out = new ArrayList<>();
        for (int i = 0; i < evaluations.size(); i++) {
            out.add(judge(evaluations.get(i), adjusted[i], multipliers[i], family));
        }
        return out;
    }

    private static Evaluation evaluate(ClaimSpec c, AnalysisSpec spec, List<TrialRecord> trials, double worst,
                                       Bootstrap bootstrap) {
        Set<Long> select = spec.selectOn();
        Curve a = curve(c.a(), trials, worst, select);
        Curve b = curve(c.b(), trials, worst, select);
        if (a.points().isEmpty() || b.points().isEmpty()) {
            String arm = a.points().isEmpty() ? c.a().label() : c.b().label();
            return blocked(c, "no finished trial of " + arm + (select.isEmpty() ? "" : " on the judging seeds (every seed "
                    + "but " + new TreeSet<>(select) + ")"));
        }
        return c.metric() == Metric.BEST_LOSS ? bestLoss(c, spec, trials, worst, a, b)
                : curveMetric(c, spec, a, b, worst, bootstrap);
    }

    private static Evaluation blocked(ClaimSpec c, String reason) {
        return new Evaluation(c, Double.NaN, null, "none", false, 0, 0, 0, Double.NaN, reason);
    }

    /** Best loss: each arm's best setting chosen on the selection seeds, its judging seeds compared, paired when shared. */
    private static Evaluation bestLoss(ClaimSpec c, AnalysisSpec spec, List<TrialRecord> trials, double worst, Curve a,
                                       Curve b) {
        Set<Long> select = spec.selectOn();
        Map<Long, Double> sa = judged(c.a(), trials, select, worst);
        Map<Long, Double> sb = judged(c.b(), trials, select, worst);
        if (sa == null || sb == null) {
            return blocked(c, "no trial of " + (sa == null ? c.a().label() : c.b().label()) + " ran a selection seed "
                    + new TreeSet<>(select) + " to choose its best setting");
        }
        Set<Long> shared = new TreeSet<>(sa.keySet());
        shared.retainAll(sb.keySet());
        boolean paired = pairs(shared.size(), sa.size(), sb.size(), spec.minSeeds());
        double[] va = sa.values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] vb = sb.values().stream().mapToDouble(Double::doubleValue).toArray();
        TTest test = paired ? TTest.paired(shared.stream().mapToDouble(sa::get).toArray(),
                shared.stream().mapToDouble(sb::get).toArray()) : TTest.welch(va, vb);
        double estimate = test != null ? test.difference() : mean(va) - mean(vb);
        double margin = margin(c, spec, mean(vb), a, b);
        int n = paired ? shared.size() : Math.min(va.length, vb.length);
        String blocked = "";
        if (n < spec.minSeeds()) {
            blocked = seedsReason(c, sa.size(), sb.size(), paired ? shared.size() : 0, spec.minSeeds(), "");
        } else if (c.type() == ClaimSpec.Type.EQUIVALENT && Double.isNaN(margin)) {
            blocked = "its margin " + spec.margin().text() + " needs a seed standard deviation, and no point has two seeds";
        }
        return new Evaluation(c, estimate, test, paired ? "paired_t" : "welch", paired, sa.size(), sb.size(),
                paired ? shared.size() : 0, margin, blocked);
    }

    /**
     * Whether two points are compared seed by seed: when they share at least two seeds and either
     * share enough for a verdict or share every seed they ran, so that pairing never throws away
     * the seeds a verdict needs (otherwise Welch's test uses every seed of both).
     */
    static boolean pairs(int shared, int nA, int nB, int minSeeds) {
        return shared >= 2 && (shared >= minSeeds || (shared == nA && shared == nB));
    }

    /**
     * Seed to loss (divergences at {@code worst}) at the arm's best setting: chosen on the seeds in
     * {@code select} (every seed when empty), read on the others; null when no selection seed ran.
     */
    private static Map<Long, Double> judged(Arm arm, List<TrialRecord> trials, Set<Long> select, double worst) {
        List<TrialRecord> choosing = select.isEmpty() ? trials
                : trials.stream().filter(t -> select.contains(t.seed())).toList();
        Curve chooser = curve(arm, choosing, worst);
        if (chooser.points().isEmpty()) {
            return null;
        }
        Point best = chooser.best(worst).setting();
        Map<Long, Double> out = new TreeMap<>();
        for (TrialRecord t : trials) {
            double loss = Curves.loss(t);
            if (arm.contains(t) && t.point().equals(best) && !Double.isNaN(loss)
                    && (select.isEmpty() || !select.contains(t.seed()))) {
                out.put(t.seed(), loss == Double.POSITIVE_INFINITY ? worst : loss);
            }
        }
        return out;
    }

    /** Widths, excess and divergences: a bootstrap of the difference over both arms' judging seeds. */
    private static Evaluation curveMetric(ClaimSpec c, AnalysisSpec spec, Curve a, Curve b, double worst,
                                          Bootstrap bootstrap) {
        Metric m = c.metric();
        double[][] la = a.losses();
        double[][] lb = b.losses();
        int n = la.length;
        double[][] both = new double[la.length + lb.length][];
        System.arraycopy(la, 0, both, 0, la.length);
        System.arraycopy(lb, 0, both, la.length, lb.length);
        double[] ax = a.coordinates();
        double[] bx = b.coordinates();
        double estimate = m.of(ax, la, worst, a.axis().scale()) - m.of(bx, lb, worst, b.axis().scale());
        long[][] seeds = java.util.stream.Stream.concat(Arrays.stream(a.seeds()), Arrays.stream(b.seeds()))
                .toArray(long[][]::new);
        TTest test = bootstrap.test(both, seeds, s -> m.of(ax, Arrays.copyOfRange(s, 0, n), worst, a.axis().scale())
                - m.of(bx, Arrays.copyOfRange(s, n, s.length), worst, b.axis().scale()));
        int nA = m.isWidth() ? bracketSeeds(a, m, worst) : a.best(worst).losses().length;
        int nB = m.isWidth() ? bracketSeeds(b, m, worst) : b.best(worst).losses().length;
        double margin = margin(c, spec, b.best(worst).mean(worst), a, b);
        String blocked = guard(c, a, b, worst);
        if (blocked.isEmpty() && !m.hasCheckedInterval()) {
            blocked = "no interval of " + m.key() + " keeps its nominal coverage in simulation (the excess's window follows "
                + "the noisy optimum, so it is biased and its 95% interval covers less as seeds are added, 90% at 10); "
                + "compare a width instead";
        }
        int needed = Math.max(spec.minSeeds(), Bootstrap.MIN_SEEDS);
        if (blocked.isEmpty() && Math.min(nA, nB) < needed) {
            blocked = seedsReason(c, nA, nB, 0, needed, spec.minSeeds() < Bootstrap.MIN_SEEDS
                    ? "; the bootstrap interval of " + m.key() + " reaches its nominal coverage from "
                    + Bootstrap.MIN_SEEDS + " seeds" : "");
        }
        if (blocked.isEmpty() && Double.isNaN(estimate)) {
            blocked = m.key() + " is undefined on " + (Double.isNaN(m.of(ax, la, worst, a.axis().scale())) ? c.a().label()
                    : c.b().label()) + "'s curve along " + a.axis().name();
        }
        if (blocked.isEmpty() && c.type() == ClaimSpec.Type.EQUIVALENT && Double.isNaN(margin)) {
            blocked = "its margin " + spec.margin().text() + " needs a seed standard deviation, and no point has two seeds";
        }
        return new Evaluation(c, estimate, test, "bootstrap", false, nA, nB, 0, margin, blocked);
    }

    /**
     * The fewest seeds among the points that decide a width: its region and the first point outside
     * it on each side (a one-seed edge point carries its seed's whole effect).
     */
    private static int bracketSeeds(Curve curve, Metric m, double worst) {
        double[] mean = curve.points().stream().mapToDouble(p -> p.mean(worst)).toArray();
        int best = curve.bestIndex(worst);
        int[] region = Stability.region(mean, best, m.limit(mean[best]));
        int lo = Math.max(0, region[0] - 1);
        int hi = Math.min(mean.length - 1, region[1] + 1);
        int fewest = Integer.MAX_VALUE;
        for (int i = lo; i <= hi; i++) {
            fewest = Math.min(fewest, curve.points().get(i).losses().length);
        }
        return fewest;
    }

    /** What keeps a curve metric from a verdict whatever its interval: a censored width, an excess without both sides. */
    private static String guard(ClaimSpec c, Curve a, Curve b, double worst) {
        for (Curve curve : List.of(a, b)) {
            String arm = curve == a ? "a (" + c.a().label() + ")" : "b (" + c.b().label() + ")";
            if (c.metric().isWidth() && curve.axis().scale() != Axis.Scale.CATEGORY) {
                Stability s = Stability.of(curve, worst);
                if (Boolean.TRUE.equals(s.censored().get(c.metric()))) {
                    return String.format(Locale.ROOT, "the region of %s reaches the grid's end, so its %s is only a lower "
                            + "bound (>=%.2f); extend the grid", arm, c.metric().key(), s.widths().get(c.metric()));
                }
            }
            if (c.metric() == Metric.EXCESS || c.metric() == Metric.EXCESS_FINITE) {
                int best = curve.bestIndex(worst);
                int above = curve.points().size() - 1 - best;
                if (best < 2 || above < 2) {
                    return "the excess of " + arm + " needs two points on each side of its optimum; it has " + best
                            + " below and " + above + " above: extend the grid";
                }
            }
        }
        return "";
    }

    private static String seedsReason(ClaimSpec c, int nA, int nB, int nPairs, int needed, String why) {
        return "a (" + c.a().label() + ") has " + nA + " seed" + (nA == 1 ? "" : "s") + " and b (" + c.b().label() + ") "
                + nB + " at the compared point" + (c.metric().isWidth() ? "s (the fewest of the points bounding each width's "
                + "region)" : "") + (nPairs > 0 ? " (" + nPairs + " paired)" : "") + "; a verdict needs "
                + needed + why + ": run more seeds (refine: {seeds: " + needed + "}) or lower analysis.min_seeds";
    }

    /** The claim's own margin, or the study's policy resolved for its arms; NaN for directional claims. */
    private static double margin(ClaimSpec c, AnalysisSpec spec, double referenceLoss, Curve a, Curve b) {
        if (c.type() != ClaimSpec.Type.EQUIVALENT) {
            return Double.NaN;
        }
        if (!Double.isNaN(c.margin())) {
            return c.margin();
        }
        double[][] la = a.losses();
        double[][] lb = b.losses();
        double[][] both = Arrays.copyOf(la, la.length + lb.length);
        System.arraycopy(lb, 0, both, la.length, lb.length);
        return spec.margin().resolve(referenceLoss, Bootstrap.pooledSd(both));
    }

    private static ClaimResult judge(Evaluation e, double pAdjusted, double multiplier, long family) {
        double p = e.p();
        ClaimSpec c = e.claim();
        TTest t = e.test();
        double[] none = {Double.NaN, Double.NaN};
        double[] ci95 = t == null ? none : t.interval(0.95);
        double[] ci90 = t == null ? none : t.interval(0.90);
        boolean equivalence = c.type() == ClaimSpec.Type.EQUIVALENT;
        double needed = equivalence && t != null ? Math.max(Math.abs(ci90[0]), Math.abs(ci90[1])) : Double.NaN;
        String verdict = ClaimResult.INCONCLUSIVE;
        String reason = e.blocked();
        if (reason.isEmpty() && t == null) {
            reason = e.method().equals("bootstrap") ? "no point has two finished seeds to estimate the seed variance from "
                    + "(use seeds or refine)" : "needs at least two seeds at each arm's best point (use seeds or refine)";
        }
        if (reason.isEmpty()) {
            String holm = pAdjusted >= LEVEL && p < LEVEL && family > 1
                    ? String.format(Locale.ROOT, "p %.3g is %.3g after Holm's correction across %d claims", p, pAdjusted,
                            family) : "";
            if (equivalence) {
                if (pAdjusted < LEVEL) {
                    verdict = ClaimResult.SUPPORTED;
                } else if (outside(t, e.margin(), multiplier)) {
                    verdict = ClaimResult.REFUTED;
                } else {
                    reason = !holm.isEmpty() ? holm : String.format(Locale.ROOT, "the 90%% interval [%+.4f, %+.4f] is not "
                            + "inside +-%.4g; before any correction it would be supported from a margin of %.4g", ci90[0],
                            ci90[1], e.margin(), needed);
                }
            } else if (pAdjusted < LEVEL) {
                boolean asserted = Integer.signum((int) Math.signum(e.estimate())) == c.assertedSign();
                verdict = asserted ? ClaimResult.SUPPORTED : ClaimResult.REFUTED;
            } else {
                reason = !holm.isEmpty() ? holm : String.format(Locale.ROOT, "the 95%% interval [%+.4f, %+.4f] includes 0",
                        ci95[0], ci95[1]);
            }
        }
        if (!verdict.equals(ClaimResult.INCONCLUSIVE)) {
            reason = "";
        }
        return new ClaimResult(c, verdict, e.estimate(), ci95, ci90, e.margin(), needed, e.method(), e.paired(), e.nA(),
                e.nB(), e.nPairs(), p, pAdjusted, reason);
    }

    /**
     * Whether the difference lies wholly outside +-margin at the claim's Holm level: its two-sided
     * interval at 1 - 0.05 / multiplier (the 95% interval without correction) misses the band.
     */
    private static boolean outside(TTest t, double margin, double multiplier) {
        double[] ci = t.interval(1 - LEVEL / (Double.isNaN(multiplier) ? 1 : multiplier));
        return ci[0] >= margin || ci[1] <= -margin;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
