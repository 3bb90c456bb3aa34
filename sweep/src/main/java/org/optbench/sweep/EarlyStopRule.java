package org.optbench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.optbench.sweep.error.SweepSpecException;

/**
 * Asynchronous successive halving (ASHA), the rule behind W&amp;B's {@code early_terminate:
 * {type: hyperband}}: rungs at {@code minSteps * eta^k} training steps (below the run's length);
 * every trial evaluates at each rung, and a trial whose validation loss there is worse than the
 * best {@code 1/eta} quantile of the losses recorded at that rung so far (linear interpolation,
 * as numpy's percentile) is stopped. Decisions are made as trials arrive, so early trials are
 * never stopped for lack of company. By default trials compete only with trials of the same
 * optimizer, so each optimizer's LR curve keeps its own best region; {@code perOptimizer = false}
 * makes all trials compete.
 *
 * @param minSteps     the first rung, in training steps
 * @param eta          the reduction factor (keep the best 1/eta)
 * @param perOptimizer compare within an optimizer (true) or across the sweep
 */
public record EarlyStopRule(int minSteps, double eta, boolean perOptimizer) {

    public EarlyStopRule {
        if (minSteps < 1) {
            throw new SweepSpecException("early_terminate.min_iter " + minSteps + " must be at least 1 step");
        }
        if (!(eta > 1)) {
            throw new SweepSpecException("early_terminate.eta " + eta + " must be greater than 1 (3 keeps the best third)");
        }
    }

    /** The rung steps of a run of {@code totalSteps}: minSteps * eta^k for every k with a step below the end. */
    public List<Integer> rungs(int totalSteps) {
        List<Integer> rungs = new ArrayList<>();
        for (double r = minSteps; r < totalSteps; r *= eta) {
            int step = (int) Math.round(r);
            if (rungs.isEmpty() || step > rungs.get(rungs.size() - 1)) {
                rungs.add(step);
            }
        }
        return rungs;
    }

    /**
     * Whether a trial whose loss at a rung is {@code loss} stops, given the losses recorded at the
     * same rung by the trials it competes with (its own included).
     */
    public boolean stops(double loss, List<Double> atRung) {
        if (!Double.isFinite(loss)) {
            return true;
        }
        double[] values = atRung.stream().mapToDouble(v -> Double.isFinite(v) ? v : Double.MAX_VALUE).toArray();
        if (values.length < 2) {
            return false;
        }
        double cutoff = new Percentile().withEstimationType(Percentile.EstimationType.R_7).evaluate(values, 100.0 / eta);
        return loss > cutoff;
    }

    /** The cohort key of a trial: its optimizer, or one cohort for the whole sweep. */
    public String cohort(String optimizer) {
        return perOptimizer ? optimizer : "";
    }

    /** Reads {@code early_terminate} ({@code type: hyperband|asha, min_iter, eta, group_by}). */
    static EarlyStopRule parse(Map<String, Object> node, String source) {
        for (String key : node.keySet()) {
            if (!List.of("type", "min_iter", "eta", "group_by").contains(key)) {
                throw new SweepSpecException(source + ": unknown key 'early_terminate." + key
                        + "'; valid keys: [eta, group_by, min_iter, type]");
            }
        }
        Object type = node.getOrDefault("type", "hyperband");
        if (!type.equals("hyperband") && !type.equals("asha")) {
            throw new SweepSpecException(source + ": early_terminate.type '" + type + "' must be hyperband (or asha)");
        }
        if (!(node.get("min_iter") instanceof Number minIter)) {
            throw new SweepSpecException(source + ": early_terminate needs min_iter, the first rung in training steps");
        }
        Object eta = node.getOrDefault("eta", 3);
        if (!(eta instanceof Number etaValue)) {
            throw new SweepSpecException(source + ": early_terminate.eta '" + eta + "' must be a number such as 3");
        }
        Object groupBy = node.getOrDefault("group_by", "optimizer");
        if (!groupBy.equals("optimizer") && !groupBy.equals("none")) {
            throw new SweepSpecException(source + ": early_terminate.group_by '" + groupBy + "' must be optimizer or none");
        }
        try {
            return new EarlyStopRule(minIter.intValue(), etaValue.doubleValue(), groupBy.equals("optimizer"));
        } catch (SweepSpecException e) {
            throw new SweepSpecException(source + ": " + e.getMessage());
        }
    }
}
