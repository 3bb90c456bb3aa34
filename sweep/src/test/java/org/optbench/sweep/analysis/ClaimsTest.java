package org.optbench.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Point;

/**
 * Claims on fixed trial sets whose answers are known: the verdict, the estimate a - b and its
 * interval (Welch's for best loss, checked against SciPy; bootstrap for widths).
 */
class ClaimsTest {

    private static final double WORST = 9;
    private static final Bootstrap BOOTSTRAP = new Bootstrap(2000, 3);

    /** Seeds at one LR: the best point of each arm. */
    private static List<TrialRecord> bestPoints(String opt, double[] seeds, List<TrialRecord> into) {
        for (int s = 0; s < seeds.length; s++) {
            into.add(Made.trial(opt, Map.of("lr", "0.001"), s, seeds[s]));
            into.add(Made.trial(opt, Map.of("lr", "0.01"), s, seeds[s] + 0.5));
        }
        return into;
    }

    private static ClaimResult claim(List<TrialRecord> trials, ClaimSpec.Type type, String a, String b, Metric metric,
                                     double margin) {
        ClaimSpec c = new ClaimSpec("c", type, new Arm(a, Point.EMPTY), new Arm(b, Point.EMPTY), metric, margin, a, b);
        return Claims.evaluate(c, trials, WORST, BOOTSTRAP);
    }

    @Test
    void bestLossClaimsUseWelchOverTheBestPointsSeeds() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", new double[] {3.512, 3.498, 3.530, 3.507}, t);
        bestPoints("signum", new double[] {3.541, 3.525, 3.560}, t);
        ClaimResult eq = claim(t, ClaimSpec.Type.EQUIVALENT, "adamw", "signum", Metric.BEST_LOSS, 0.06);
        assertEquals(ClaimResult.SUPPORTED, eq.verdict(), "90% interval [-0.0568, -0.0037] lies inside +-0.06");
        assertEquals(3.51175 - 3.542, eq.estimate(), 1e-12);
        assertArrayEquals(new double[] {-0.06516626232321898, 0.004666262323218762}, eq.ci(), 1e-10, "SciPy's 95% interval");
        assertEquals("welch", eq.method());
        assertEquals(ClaimResult.INCONCLUSIVE, claim(t, ClaimSpec.Type.EQUIVALENT, "adamw", "signum", Metric.BEST_LOSS, 0.05)
                .verdict(), "the 90% interval reaches -0.0568, past -0.05; the 95% interval overlaps +-0.05");
        assertEquals(ClaimResult.INCONCLUSIVE, claim(t, ClaimSpec.Type.WORSE, "signum", "adamw", Metric.BEST_LOSS, Double.NaN)
                .verdict(), "the 95% interval of signum - adamw, [-0.0047, 0.0652], contains 0");
    }

    @Test
    void clearDifferencesAreSupportedOrRefutedAndOneSeedIsInconclusive() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", new double[] {4.00, 4.01, 3.99}, t);
        bestPoints("sgd", new double[] {4.40, 4.42, 4.41}, t);
        assertEquals(ClaimResult.SUPPORTED, claim(t, ClaimSpec.Type.WORSE, "sgd", "adamw", Metric.BEST_LOSS, Double.NaN)
                .verdict());
        assertEquals(ClaimResult.REFUTED, claim(t, ClaimSpec.Type.WORSE, "adamw", "sgd", Metric.BEST_LOSS, Double.NaN)
                .verdict());
        assertEquals(ClaimResult.SUPPORTED, claim(t, ClaimSpec.Type.BETTER, "adamw", "sgd", Metric.BEST_LOSS, Double.NaN)
                .verdict());
        assertEquals(ClaimResult.REFUTED, claim(t, ClaimSpec.Type.EQUIVALENT, "adamw", "sgd", Metric.BEST_LOSS, 0.02)
                .verdict(), "a difference of 0.41 is far outside +-0.02");
        List<TrialRecord> single = new ArrayList<>();
        bestPoints("adamw", new double[] {4.00}, single);
        bestPoints("sgd", new double[] {4.40}, single);
        ClaimResult one = claim(single, ClaimSpec.Type.WORSE, "sgd", "adamw", Metric.BEST_LOSS, Double.NaN);
        assertEquals(ClaimResult.INCONCLUSIVE, one.verdict());
        assertEquals(0.40, one.estimate(), 1e-12, "the estimate is still reported");
        assertTrue(one.note().contains("two seeds"), one.note());
    }

    @Test
    void widthClaimsBootstrapOverSeeds() {
        List<TrialRecord> t = new ArrayList<>();
        double[] us = {-4, -3.5, -3, -2.5, -2};
        double[] flat = {3.06, 3.02, 3.00, 3.01, 3.04};
        double[] sharp = {3.9, 3.5, 3.0, 3.6, 4.2};
        for (int i = 0; i < us.length; i++) {
            for (int s = 0; s < 3; s++) {
                double jitter = (s - 1) * 0.002;
                t.add(Made.trial("signum", Map.of("lr", Made.lr(us[i])), s, flat[i] + jitter));
                t.add(Made.trial("sgd", Map.of("lr", Made.lr(us[i])), s, sharp[i] + jitter));
            }
        }
        ClaimResult wider = claim(t, ClaimSpec.Type.WIDER, "signum", "sgd", Metric.WIDTH_5PCT, Double.NaN);
        assertEquals(ClaimResult.SUPPORTED, wider.verdict(), wider.toString());
        assertEquals("bootstrap", wider.method());
        assertTrue(wider.estimate() > 1 && wider.ci()[0] > 0, "signum's 5% region spans the grid, sgd's a fraction");
        assertEquals(ClaimResult.REFUTED, claim(t, ClaimSpec.Type.NARROWER, "signum", "sgd", Metric.WIDTH_5PCT, Double.NaN)
                .verdict());
        assertEquals(ClaimResult.SUPPORTED, claim(t, ClaimSpec.Type.BETTER, "signum", "sgd", Metric.EXCESS, Double.NaN)
                .verdict(), "lower excess is better");
    }

    @Test
    void armsCanBeValuesOfAnAxisOfOneOptimizer() {
        List<TrialRecord> t = new ArrayList<>();
        for (String beta1 : new String[] {"0.0", "0.9"}) {
            for (String lr : new String[] {"0.001", "0.01"}) {
                for (int s = 0; s < 3; s++) {
                    double base = beta1.equals("0.9") ? 3.0 : 3.3;
                    t.add(Made.trial("signum", Map.of("beta1", beta1, "lr", lr), s, base + (lr.equals("0.01") ? 0.2 : 0)
                            + 0.003 * s));
                }
            }
        }
        ClaimSpec c = new ClaimSpec("momentum", ClaimSpec.Type.BETTER, new Arm("signum", Point.of("beta1", "0.9")),
                new Arm("signum", Point.of("beta1", "0")), Metric.BEST_LOSS, Double.NaN, "0.9", "0");
        ClaimResult r = Claims.evaluate(c, t, WORST, BOOTSTRAP);
        assertEquals(ClaimResult.SUPPORTED, r.verdict());
        assertEquals(-0.3, r.estimate(), 1e-9, "each arm's best LR (0.001): 3.003 vs 3.303");
    }
}
