package org.optbench.sweep.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Point;
import org.optbench.train.RunConfig;

/**
 * Everything a sweep's trials say: the analysed axes (every swept setting that varies), one panel
 * per axis with a curve per optimizer that varies it, each optimizer's summary along the primary
 * axis (the learning rate when it is swept; in a one-at-a-time sweep, its default point), the
 * pairwise tests at the best points with Holm's
 * correction, the declared claims with their verdicts, the agreement between devices of a
 * portability study, and warnings (best points on the edge of their grid, left-out trials).
 * Divergences count as the worst-case loss: the largest finite final loss of the sweep, or ln(V)
 * (a uniform guess) when that is larger.
 *
 * @param axes        the analysed axes, primary first
 * @param worst       the worst-case loss
 * @param summaries   each optimizer along the primary axis (or its own first axis)
 * @param panels      axis name to the curves along it
 * @param pairs       pairwise tests between optimizers
 * @param claims      the declared claims' results
 * @param devices     device agreement, or null when no trial chose a device
 * @param warnings    what a reader should know before trusting the numbers
 * @param stateBytes  optimizer state bytes per parameter by optimizer (NaN when unknown)
 * @param analysis    the analysis settings the findings were computed under (margin policy, seeds, correction)
 * @param counts      each optimizer's trials by outcome
 * @param seeds       every seed of the finished trials, ascending
 */
public record Findings(List<Axis> axes, double worst, List<OptimizerFindings> summaries,
                       Map<String, List<OptimizerFindings>> panels, List<PairTest> pairs, List<ClaimResult> claims,
                       DeviceAgreement devices, List<String> warnings, Map<String, Double> stateBytes,
                       AnalysisSpec analysis, Map<String, Counts> counts, List<Long> seeds) {

    /**
     * An optimizer's finished trials by outcome.
     *
     * @param trials   finished trials (cancelled ones aside)
     * @param diverged trials that diverged
     * @param failed   trials that failed (left out)
     * @param stopped  trials stopped early (left out)
     */
    public record Counts(int trials, int diverged, int failed, int stopped) {
    }

    /** The vocabulary assumed for the worst case before any trial has recorded its model. */
    public static final int DEFAULT_VOCAB = 8192;

    /** The analysis of {@code trials} (of one sweep) by {@code spec}. */
    public static Findings of(List<TrialRecord> trials, AnalysisSpec spec) {
        return of(trials, spec, DEFAULT_VOCAB);
    }

    /**
     * The analysis of {@code trials} by {@code spec}, assuming a vocabulary of {@code vocab} for the
     * worst case when no trial's result records its model (a table of runs from another tool).
     */
    public static Findings of(List<TrialRecord> trials, AnalysisSpec spec, int vocab) {
        RunConfig model = SweepModel.of(trials);
        double worst = worstCase(trials, model != null ? model.vocab() : vocab);
        long parameters = model != null ? SweepModel.parameters(model) : 0;
        Bootstrap bootstrap = new Bootstrap(spec.bootstrapSamples(), 20240707L);
        Map<String, List<TrialRecord>> byOptimizer = new LinkedHashMap<>();
        List<TrialRecord> finished = new ArrayList<>();
        int failed = 0;
        int stopped = 0;
        for (TrialRecord t : trials) {
            if (t.status() == TrialStatus.FAILED) {
                failed++;
            } else if (t.status() == TrialStatus.STOPPED) {
                stopped++;
            }
            if (t.status().isFinished() && t.status() != TrialStatus.CANCELLED) {
                byOptimizer.computeIfAbsent(t.optimizer(), k -> new ArrayList<>()).add(t);
                finished.add(t);
            }
        }
        List<Axis> axes = axes(finished);
        List<String> warnings = new ArrayList<>();
        Map<String, List<OptimizerFindings>> panels = new LinkedHashMap<>();
        for (Axis axis : axes) {
            List<OptimizerFindings> curves = new ArrayList<>();
            byOptimizer.forEach((opt, list) -> {
                if (Curves.varying(list).contains(axis.name())) {
                    List<TrialRecord> alone = heldAtDefaults(list, spec.held(opt).without(axis.name()));
                    curves.add(OptimizerFindings.of(Curves.along(opt, axis, alone, worst), worst, bootstrap));
                }
            });
            panels.put(axis.name(), curves);
        }
        List<OptimizerFindings> summaries = new ArrayList<>();
        Map<String, Double> stateBytes = new LinkedHashMap<>();
        byOptimizer.forEach((opt, list) -> {
            Point defaults = spec.held(opt);
            List<String> own = Curves.varying(list);
            String name = !defaults.isEmpty() ? null : own.contains("lr") ? "lr" : own.isEmpty() ? null
                    : axes.stream().map(Axis::name).filter(own::contains).findFirst().orElse(own.get(0));
            List<TrialRecord> base = heldAtDefaults(list, defaults);
            OptimizerFindings f = name != null
                    ? panels.get(name).stream().filter(c -> c.optimizer().equals(opt)).findFirst().orElseThrow()
                    : OptimizerFindings.of(Curves.along(opt, Axis.along("lr", base.stream()
                            .map(TrialRecord::point).toList()), base, worst), worst, bootstrap);
            summaries.add(f);
            stateBytes.put(opt, stateBytesPerParam(f, list, parameters));
        });
        for (List<OptimizerFindings> panel : panels.values()) {
            for (OptimizerFindings f : panel) {
                // extend_edges acts along the lr when it is swept, else along the only swept setting
                boolean extended = f.axis().name().equals("lr") || !panels.containsKey("lr") && panels.size() == 1;
                // in a grid, a setting at two values that extend_edges does not move is two levels
                // compared (with and without momentum), not a range searched: it has no interior to
                // miss; a one-at-a-time list searches around its default, so its edges still count
                boolean twoLevels = !extended && f.curve().points().size() == 2 && spec.held(f.optimizer()).isEmpty();
                String edge = twoLevels ? null : f.edgeWarning(extended ? spec.extendEdgesMax() : -1);
                if (edge != null) {
                    warnings.add(edge);
                }
                for (Curve.TunedEdge e : f.curve().tunedEdges()) {
                    warnings.add(f.optimizer() + "'s tuned lr at " + f.axis().name() + "=" + e.value().text() + " ("
                            + e.lr().text() + ") is on the " + (e.high() ? "high" : "low") + " edge of the rates tried there; "
                            + "extend its lr grid");
                }
            }
        }
        if (failed > 0) {
            warnings.add(failed + " failed trial" + (failed == 1 ? " is" : "s are") + " left out of the analysis");
        }
        if (stopped > 0) {
            warnings.add(stopped + " early-stopped trial" + (stopped == 1 ? " is" : "s are") + " left out of the curves");
        }
        List<ClaimResult> claims = Claims.evaluate(spec, finished, worst, bootstrap);
        Map<String, Counts> counts = new LinkedHashMap<>();
        byOptimizer.forEach((opt, list) -> counts.put(opt, new Counts(list.size(),
                (int) list.stream().filter(t -> Curves.loss(t) == Double.POSITIVE_INFINITY).count(),
                (int) list.stream().filter(t -> t.status() == TrialStatus.FAILED).count(),
                (int) list.stream().filter(t -> t.status() == TrialStatus.STOPPED).count())));
        List<Long> seeds = finished.stream().map(TrialRecord::seed).distinct().sorted().toList();
        return new Findings(axes, worst, summaries, panels, pairs(summaries, spec.margin(), spec.minSeeds()), claims,
                DeviceAgreement.of(finished, spec.deviceTolerance()), warnings, stateBytes, spec, counts, seeds);
    }

    /**
     * The trials that hold every setting of {@code defaults} at its value: in a one-at-a-time
     * sweep, the points along one setting, or the default point itself; all trials otherwise.
     */
    private static List<TrialRecord> heldAtDefaults(List<TrialRecord> trials, Point defaults) {
        return defaults.isEmpty() ? trials : trials.stream().filter(t -> t.point().contains(defaults)).toList();
    }

        /** The axes: every key whose values differ within some optimizer, the learning rate first. */
    static List<Axis> axes(List<TrialRecord> finished) {
        Map<String, List<TrialRecord>> byOptimizer = new LinkedHashMap<>();
        finished.forEach(t -> byOptimizer.computeIfAbsent(t.optimizer(), k -> new ArrayList<>()).add(t));
        List<String> names = new ArrayList<>();
        byOptimizer.values().forEach(list -> Curves.varying(list).forEach(k -> {
            if (!names.contains(k)) {
                names.add(k);
            }
        }));
        if (names.remove("lr")) {
            names.add(0, "lr");
        }
        List<Axis> axes = new ArrayList<>();
        for (String name : names) {
            axes.add(Axis.of(name, finished.stream().map(t -> t.point().get(name)).filter(v -> v != null).toList()));
        }
        return axes;
    }

    /** The worst-case loss that divergences count as. */
    public static double worstCase(List<TrialRecord> trials, int vocab) {
        double worst = Math.log(vocab);
        for (TrialRecord t : trials) {
            if (t.status() == TrialStatus.COMPLETED && t.finalValLoss() != null && Double.isFinite(t.finalValLoss())) {
                worst = Math.max(worst, t.finalValLoss());
            }
        }
        return worst;
    }

    private static double stateBytesPerParam(OptimizerFindings f, List<TrialRecord> list, long parameters) {
        if (parameters <= 0 || f.isEmpty()) {
            return Double.NaN;
        }
        String id = f.best().trialIds().isEmpty() ? null : f.best().trialIds().get(0);
        return list.stream().filter(t -> t.id().equals(id) && t.stateBytes() != null).findFirst()
                .map(t -> (double) t.stateBytes() / parameters).orElse(Double.NaN);
    }

    /** Every pair of optimizers at their best points: paired when they share two seeds, else Welch; Holm across pairs. */
    private static List<PairTest> pairs(List<OptimizerFindings> summaries, MarginPolicy margin, int minSeeds) {
        List<String[]> names = new ArrayList<>();
        List<TTest> tests = new ArrayList<>();
        List<Double> diffs = new ArrayList<>();
        List<Double> margins = new ArrayList<>();
        List<Integer> pairCounts = new ArrayList<>();
        for (int i = 0; i < summaries.size(); i++) {
            for (int j = i + 1; j < summaries.size(); j++) {
                OptimizerFindings a = summaries.get(i);
                OptimizerFindings b = summaries.get(j);
                if (a.isEmpty() || b.isEmpty()) {
                    continue;
                }
                Map<Long, Double> sa = a.best().bySeed(a.worst());
                Map<Long, Double> sb = b.best().bySeed(b.worst());
                List<Long> shared = sa.keySet().stream().filter(sb::containsKey).toList();
                boolean paired = Claims.pairs(shared.size(), sa.size(), sb.size(), minSeeds);
                names.add(new String[] {a.optimizer(), b.optimizer()});
                tests.add(paired ? TTest.paired(shared.stream().mapToDouble(sa::get).toArray(),
                        shared.stream().mapToDouble(sb::get).toArray()) : TTest.welch(a.bestSeeds(), b.bestSeeds()));
                pairCounts.add(paired ? shared.size() : 0);
                diffs.add(paired ? tests.get(tests.size() - 1).difference() : a.bestLoss() - b.bestLoss());
                double[][] both = java.util.stream.Stream.concat(java.util.Arrays.stream(a.curve().losses()),
                        java.util.Arrays.stream(b.curve().losses())).toArray(double[][]::new);
                margins.add(margin.resolve(b.bestLoss(), Bootstrap.pooledSd(both)));
            }
        }
        double[] p = tests.stream().mapToDouble(w -> w == null ? Double.NaN : w.p()).toArray();
        double[] holm = Holm.adjust(p);
        List<PairTest> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            TTest w = tests.get(k);
            double m = margins.get(k);
            out.add(new PairTest(names.get(k)[0], names.get(k)[1], diffs.get(k), pairCounts.get(k) > 0, pairCounts.get(k),
                    p[k], holm[k], m, w == null || Double.isNaN(m) ? Double.NaN : w.tost(m)));
        }
        return out;
    }

    /** Each optimizer's summary as a row of plain numbers, in the order of {@link #summaries}. */
    public List<SummaryRow> rows() {
        return summaries.stream().map(s -> SummaryRow.of(s, counts.get(s.optimizer()),
                stateBytes.getOrDefault(s.optimizer(), Double.NaN))).toList();
    }

    /** The summary of {@code optimizer}, or null. */
    public OptimizerFindings summary(String optimizer) {
        return summaries.stream().filter(s -> s.optimizer().equals(optimizer)).findFirst().orElse(null);
    }

    /** The primary axis's name, or null when nothing was swept. */
    public String primaryAxis() {
        return axes.isEmpty() ? null : axes.get(0).name();
    }

    /**
     * The axis the summaries run along: the primary axis, or in a one-at-a-time sweep the learning
     * rate (each optimizer at its defaults, where its curve is one point).
     */
    public String summaryAxis() {
        return analysis.held().isEmpty() ? primaryAxis() : "lr";
    }

    /** The unit of the summaries' widths: the summary axis's, decades when it was not swept. */
    public String summaryWidthUnit() {
        return axes.stream().filter(a -> a.name().equals(summaryAxis())).findFirst().map(Axis::widthUnit)
                .orElse("decades");
    }

    /** A one-line reading of the worst case for captions. */
    public String worstCaseText() {
        return String.format(Locale.ROOT, "%.4f", worst);
    }
}
