package org.optbench.sweep.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.TTest;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.train.RunConfig;
import org.optbench.train.RunFiles;

/**
 * The study's numbers from a sweep's trials. Per optimizer and learning rate, the loss is the mean
 * final validation loss over seeds, where a diverged or failed seed counts as the worst case: the
 * largest finite final loss in the whole sweep, or ln(V) (a uniform guess) if that is larger.
 * Where other hyperparameters vary too, each LR keeps its best setting. Stability:
 * <ul>
 *   <li>{@code width(delta)}: the width, in decades of LR, of the contiguous run of grid LRs around
 *       the best whose loss is within delta of the best (0 when only the best qualifies; limited by
 *       the grid's resolution, 0.5 decades in the paper's grids);</li>
 *   <li>{@code mean excess}: the mean of (loss - best) over grid LRs within one decade of the best.</li>
 * </ul>
 * With several seeds: mean, standard deviation and a t-based 95% confidence interval at the best
 * LR, and Welch's t-test between two optimizers' best-LR seed losses.
 */
public final class SweepAnalysis {

    private SweepAnalysis() {
    }

    /** The vocabulary assumed for the worst case before any trial has recorded its model. */
    public static final int DEFAULT_VOCAB = 8192;

    /** The model a sweep trained, from the first result that records it (the result file's schema), or null. */
    public static RunConfig model(List<TrialRecord> trials) {
        for (TrialRecord t : trials) {
            if (t.result() == null) {
                continue;
            }
            try {
                RunConfig config = RunFiles.parseResult(t.result()).config();
                if (config != null && config.vocab() > 0) {
                    return config;
                }
            } catch (RuntimeException e) {
                // a result that is not a run summary says nothing about the model; try the next one
            }
        }
        return null;
    }

    /** The analysis of {@code trials}, with the vocabulary and parameter count their results record. */
    public static List<OptimizerSummary> summarize(List<TrialRecord> trials) {
        RunConfig m = model(trials);
        return summarize(trials, m != null ? m.vocab() : DEFAULT_VOCAB, m != null ? parameters(m) : 0);
    }

    /** The model's parameters: recorded in the result, or (results written before they were) counted from its shape. */
    private static long parameters(RunConfig m) {
        if (m.parameters() > 0) {
            return m.parameters();
        }
        try {
            return new ParameterLayout(ModelConfig.of(m.vocab(), m.dModel(), m.layers(), m.heads(), m.seqLen())).totalCount();
        } catch (RuntimeException e) {
            return 0;   // a result without a shape: no bytes per parameter
        }
    }

    /** The worst-case loss, with the vocabulary the trials' results record. */
    public static double worstCase(List<TrialRecord> trials) {
        RunConfig m = model(trials);
        return worstCase(trials, m != null ? m.vocab() : DEFAULT_VOCAB);
    }

    /** The worst-case loss that diverged and failed trials count as. */
    public static double worstCase(List<TrialRecord> trials, int vocab) {
        double worst = Math.log(vocab);
        for (TrialRecord t : trials) {
            if (t.status() == TrialStatus.COMPLETED && t.finalValLoss() != null && Double.isFinite(t.finalValLoss())) {
                worst = Math.max(worst, t.finalValLoss());
            }
        }
        return worst;
    }

    public static List<OptimizerSummary> summarize(List<TrialRecord> trials, int vocab, long parameters) {
        double worst = worstCase(trials, vocab);
        Map<String, List<TrialRecord>> byOptimizer = new LinkedHashMap<>();
        for (TrialRecord t : trials) {
            if (t.status().isFinished() && t.status() != TrialStatus.CANCELLED) {
                byOptimizer.computeIfAbsent(t.optimizer(), k -> new ArrayList<>()).add(t);
            }
        }
        List<OptimizerSummary> out = new ArrayList<>();
        byOptimizer.forEach((opt, list) -> out.add(summarizeOne(opt, list, worst, parameters)));
        return out;
    }

    private static double loss(TrialRecord t, double worst) {
        return t.status() == TrialStatus.COMPLETED && t.finalValLoss() != null && Double.isFinite(t.finalValLoss())
                ? t.finalValLoss() : worst;
    }

    private static OptimizerSummary summarizeOne(String opt, List<TrialRecord> list, double worst, long parameters) {
        // setting (params without seed) -> seed losses
        Map<String, List<TrialRecord>> bySetting = new LinkedHashMap<>();
        for (TrialRecord t : list) {
            bySetting.computeIfAbsent(new TreeMap<>(t.params()).toString(), k -> new ArrayList<>()).add(t);
        }
        TreeMap<Double, LrPoint> curve = new TreeMap<>();
        Map<Double, List<TrialRecord>> bestAtLr = new LinkedHashMap<>();
        for (List<TrialRecord> seeds : bySetting.values()) {
            double lr = seeds.get(0).lr();
            double mean = seeds.stream().mapToDouble(t -> loss(t, worst)).average().orElse(worst);
            int diverged = (int) seeds.stream().filter(t -> t.status() != TrialStatus.COMPLETED).count();
            LrPoint have = curve.get(lr);
            if (have == null || mean < have.loss()) {
                curve.put(lr, new LrPoint(lr, mean, seeds.size(), diverged));
                bestAtLr.put(lr, seeds);
            }
        }
        List<LrPoint> points = new ArrayList<>(curve.values());
        int bestIndex = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).loss() < points.get(bestIndex).loss()) {
                bestIndex = i;
            }
        }
        LrPoint best = points.get(bestIndex);
        List<TrialRecord> bestSeeds = bestAtLr.get(best.lr());
        double[] seedLosses = bestSeeds.stream().mapToDouble(t -> loss(t, worst)).toArray();
        SummaryStatistics stats = new SummaryStatistics();
        for (double x : seedLosses) {
            stats.addValue(x);
        }
        double ci = seedLosses.length > 1
                ? new TDistribution(seedLosses.length - 1).inverseCumulativeProbability(0.975) * stats.getStandardDeviation()
                / Math.sqrt(seedLosses.length) : Double.NaN;
        TrialRecord bestTrial = bestSeeds.stream().min((a, b) -> Double.compare(loss(a, worst), loss(b, worst))).orElseThrow();
        long stateBytes = bestTrial.stateBytes() == null ? 0 : bestTrial.stateBytes();
        int diverged = (int) list.stream().filter(t -> t.status() != TrialStatus.COMPLETED).count();
        return new OptimizerSummary(opt, list.size(), diverged, best.loss(), best.lr(), width(points, bestIndex, 0.02),
                width(points, bestIndex, 0.1), meanExcess(points, best), stats.getMean(),
                seedLosses.length > 1 ? stats.getStandardDeviation() : Double.NaN, ci, seedLosses,
                parameters > 0 ? (double) stateBytes / parameters : Double.NaN, bestTrial.id(), points);
    }

    /** Width in decades of the contiguous LRs around the best within delta of the best loss. */
    static double width(List<LrPoint> points, int best, double delta) {
        if (Double.isNaN(points.get(best).lr())) {
            return Double.NaN;
        }
        double limit = points.get(best).loss() + delta;
        int lo = best;
        int hi = best;
        while (lo > 0 && points.get(lo - 1).loss() <= limit) {
            lo--;
        }
        while (hi < points.size() - 1 && points.get(hi + 1).loss() <= limit) {
            hi++;
        }
        return Math.log10(points.get(hi).lr() / points.get(lo).lr());
    }

    /** Mean excess loss over the grid LRs within one decade of the best LR. */
    static double meanExcess(List<LrPoint> points, LrPoint best) {
        if (Double.isNaN(best.lr())) {
            return Double.NaN;
        }
        double sum = 0;
        int n = 0;
        for (LrPoint p : points) {
            if (Math.abs(Math.log10(p.lr() / best.lr())) <= 1 + 1e-9) {
                sum += p.loss() - best.loss();
                n++;
            }
        }
        return sum / n;
    }

    /** Welch's two-sided p-value for the best-LR seed losses of two optimizers; NaN with fewer than 2 seeds. */
    public static double pValue(OptimizerSummary a, OptimizerSummary b) {
        if (a.bestSeedLosses().length < 2 || b.bestSeedLosses().length < 2) {
            return Double.NaN;
        }
        return new TTest().tTest(a.bestSeedLosses(), b.bestSeedLosses());
    }
}
