package org.optbench.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Point;

/**
 * Claims on fixed trial sets whose answers are known: the test chosen (paired on shared seeds,
 * else Welch, checked against SciPy), the verdict, Holm's correction across claims, the margin
 * policy and the margin needed, and each guard that makes a claim inconclusive with its reason.
 */
class ClaimsTest {

    private static final double WORST = 9;
    private static final Bootstrap BOOTSTRAP = new Bootstrap(2000, 3);

    /** Seeds at two LRs: the first is each arm's best point. */
    private static List<TrialRecord> bestPoints(String opt, long firstSeed, double[] losses, List<TrialRecord> into) {
        for (int s = 0; s < losses.length; s++) {
            into.add(Made.trial(opt, Map.of("lr", "0.001"), firstSeed + s, losses[s]));
            into.add(Made.trial(opt, Map.of("lr", "0.01"), firstSeed + s, losses[s] + 0.5));
        }
        return into;
    }

    private static ClaimSpec spec(String id, ClaimSpec.Type type, String a, String b, Metric metric, double margin) {
        return new ClaimSpec(id, type, new Arm(a, Point.EMPTY), new Arm(b, Point.EMPTY), metric, margin, a, b);
    }

    private static AnalysisSpec analysis(List<ClaimSpec> claims, int minSeeds, MarginPolicy margin, boolean holm,
                                         Set<Long> selectOn) {
        return new AnalysisSpec(margin, 2000, 0.01, claims, 0, minSeeds, holm, selectOn);
    }

    private static ClaimResult claim(List<TrialRecord> trials, ClaimSpec.Type type, String a, String b, Metric metric,
                                     double margin) {
        return Claims.evaluate(analysis(List.of(spec("c", type, a, b, metric, margin)), 3, MarginPolicy.NONE, true,
                Set.of()), trials, WORST, BOOTSTRAP).get(0);
    }

    @Test
    void armsWithoutSharedSeedsAreComparedByWelch() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", 0, new double[] {3.512, 3.498, 3.530, 3.507}, t);
        bestPoints("signum", 10, new double[] {3.541, 3.525, 3.560}, t);
        ClaimResult eq = claim(t, ClaimSpec.Type.EQUIVALENT, "adamw", "signum", Metric.BEST_LOSS, 0.06);
        assertEquals(ClaimResult.SUPPORTED, eq.verdict(), "90% interval [-0.0568, -0.0037] lies inside +-0.06");
        assertEquals(3.51175 - 3.542, eq.estimate(), 1e-12);
        assertArrayEquals(new double[] {-0.06516626232321898, 0.004666262323218762}, eq.ci(), 1e-10, "SciPy's 95% interval");
        assertEquals("welch", eq.method());
        assertFalse(eq.paired());
        assertEquals(4, eq.nA());
        assertEquals(3, eq.nB());
        assertEquals(0, eq.nPairs());
        assertEquals(0.05681186356372281, eq.marginNeeded(), 1e-10, "the larger |end| of SciPy's 90% interval");
        ClaimResult tight = claim(t, ClaimSpec.Type.EQUIVALENT, "adamw", "signum", Metric.BEST_LOSS, 0.05);
        assertEquals(ClaimResult.INCONCLUSIVE, tight.verdict(), "the 90% interval reaches -0.0568, past -0.05");
        assertTrue(tight.reason().contains("supported from a margin of 0.0568"), tight.reason());
        ClaimResult worse = claim(t, ClaimSpec.Type.WORSE, "signum", "adamw", Metric.BEST_LOSS, Double.NaN);
        assertEquals(ClaimResult.INCONCLUSIVE, worse.verdict(), "the 95% interval of signum - adamw contains 0");
        assertTrue(worse.reason().contains("includes 0"), worse.reason());
    }

    @Test
    void armsRunOnTheSameSeedsArePaired() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", 0, new double[] {3.512, 3.498, 3.530, 3.507, 3.521}, t);
        bestPoints("adafactor", 0, new double[] {3.541, 3.525, 3.560, 3.530, 3.549}, t);
        ClaimResult r = claim(t, ClaimSpec.Type.BETTER, "adamw", "adafactor", Metric.BEST_LOSS, Double.NaN);
        assertEquals("paired_t", r.method());
        assertTrue(r.paired());
        assertEquals(5, r.nPairs());
        assertEquals(2.239985048047361e-05, r.p(), 1e-12, "scipy.stats.ttest_rel");
        assertArrayEquals(new double[] {-0.030754791384926802, -0.024045208615073026}, r.ci(), 1e-12);
        assertEquals(ClaimResult.SUPPORTED, r.verdict());
        assertEquals(ClaimResult.REFUTED, claim(t, ClaimSpec.Type.WORSE, "adamw", "adafactor", Metric.BEST_LOSS,
                Double.NaN).verdict());
    }

    @Test
    void pairingNeverThrowsAwayTheSeedsAVerdictNeeds() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", 0, new double[] {3.512, 3.498, 3.530, 3.507, 3.521}, t);
        bestPoints("signum", 0, new double[] {3.541, 3.525, 3.560}, t);
        List<ClaimSpec> better = List.of(spec("b", ClaimSpec.Type.BETTER, "adamw", "signum", Metric.BEST_LOSS, Double.NaN));
        ClaimResult five = Claims.evaluate(analysis(better, 5, MarginPolicy.NONE, true, Set.of()), t, WORST, BOOTSTRAP).get(0);
        assertEquals("welch", five.method(), "3 shared seeds of 5 and 3: Welch on all 8 rather than 3 pairs");
        ClaimResult three = Claims.evaluate(analysis(better, 3, MarginPolicy.NONE, true, Set.of()), t, WORST, BOOTSTRAP)
                .get(0);
        assertEquals("paired_t", three.method(), "3 shared seeds are enough for min_seeds 3");
        assertEquals(3, three.nPairs());
    }

    @Test
    void tooFewSeedsIsInconclusiveWithTheSeedsItHasAndNeeds() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", 0, new double[] {4.00, 4.01, 3.99}, t);
        bestPoints("sgd", 0, new double[] {4.40, 4.42, 4.41}, t);
        ClaimSpec worse = spec("sgd-worse", ClaimSpec.Type.WORSE, "sgd", "adamw", Metric.BEST_LOSS, Double.NaN);
        ClaimResult r = Claims.evaluate(analysis(List.of(worse), 5, MarginPolicy.NONE, true, Set.of()), t, WORST,
                BOOTSTRAP).get(0);
        assertEquals(ClaimResult.INCONCLUSIVE, r.verdict());
        assertEquals(0.41, r.estimate(), 1e-9, "the estimate is still reported");
        assertTrue(r.reason().contains("has 3 seeds") && r.reason().contains("needs 5"), r.reason());
        List<TrialRecord> single = new ArrayList<>();
        bestPoints("adamw", 0, new double[] {4.00}, single);
        bestPoints("sgd", 0, new double[] {4.40}, single);
        ClaimResult one = claim(single, ClaimSpec.Type.WORSE, "sgd", "adamw", Metric.BEST_LOSS, Double.NaN);
        assertEquals(ClaimResult.INCONCLUSIVE, one.verdict());
        assertFalse(one.reason().isEmpty());
    }

    @Test
    void holmAdjustsAcrossTheStudysClaimsAndDecidesTheVerdicts() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", 0, new double[] {3.50, 3.52, 3.49, 3.51, 3.50}, t);
        bestPoints("lion", 0, new double[] {3.525, 3.525, 3.505, 3.53, 3.50}, t);
        bestPoints("adafactor", 0, new double[] {3.51, 3.51, 3.49, 3.515, 3.495}, t);
        bestPoints("sgd", 0, new double[] {4.40, 4.42, 4.41, 4.43, 4.40}, t);
        List<ClaimSpec> claims = List.of(spec("lion", ClaimSpec.Type.WORSE, "lion", "adamw", Metric.BEST_LOSS, Double.NaN),
                spec("sgd", ClaimSpec.Type.WORSE, "sgd", "adamw", Metric.BEST_LOSS, Double.NaN),
                spec("sgd-lion", ClaimSpec.Type.WORSE, "sgd", "lion", Metric.BEST_LOSS, Double.NaN),
                spec("adafactor", ClaimSpec.Type.WORSE, "adafactor", "adamw", Metric.BEST_LOSS, Double.NaN));
        List<ClaimResult> holm = Claims.evaluate(analysis(claims, 5, MarginPolicy.NONE, true, Set.of()), t, WORST, BOOTSTRAP);
        List<ClaimResult> none = Claims.evaluate(analysis(claims, 5, MarginPolicy.NONE, false, Set.of()), t, WORST, BOOTSTRAP);
        double[] p = holm.stream().mapToDouble(ClaimResult::p).toArray();
        assertArrayEquals(Holm.adjust(p), holm.stream().mapToDouble(ClaimResult::pHolm).toArray(), 1e-15);
        assertEquals(0.04863023385730641, p[0], 1e-12, "scipy.stats.ttest_rel");
        assertTrue(holm.get(0).pHolm() >= 0.05, "lion is 0.013 behind: significant alone, not after Holm "
                + "(p " + p[0] + ", adjusted " + holm.get(0).pHolm() + ")");
        assertEquals(ClaimResult.INCONCLUSIVE, holm.get(0).verdict());
        assertTrue(holm.get(0).reason().contains("after Holm's correction across 4 claims"), holm.get(0).reason());
        assertEquals(ClaimResult.SUPPORTED, none.get(0).verdict(), "correction: none judges each claim alone");
        assertEquals(none.get(0).p(), none.get(0).pHolm());
        assertEquals(ClaimResult.SUPPORTED, holm.get(1).verdict());
    }

    @Test
    void theStudyMarginAppliesToClaimsWithoutTheirOwn() {
        List<TrialRecord> t = new ArrayList<>();
        bestPoints("adamw", 0, new double[] {3.50, 3.52, 3.49, 3.51, 3.50}, t);
        bestPoints("signum", 0, new double[] {3.505, 3.523, 3.50, 3.512, 3.507}, t);
        List<ClaimSpec> eq = List.of(spec("eq", ClaimSpec.Type.EQUIVALENT, "adamw", "signum", Metric.BEST_LOSS, Double.NaN));
        ClaimResult nats = Claims.evaluate(analysis(eq, 5, MarginPolicy.nats(0.05), true, Set.of()), t, WORST, BOOTSTRAP)
                .get(0);
        assertEquals(0.05, nats.margin());
        assertEquals(ClaimResult.SUPPORTED, nats.verdict());
        ClaimResult relative = Claims.evaluate(analysis(eq, 5, new MarginPolicy(MarginPolicy.Kind.RELATIVE, 0.001), true,
                Set.of()), t, WORST, BOOTSTRAP).get(0);
        assertEquals(0.001 * 3.5094, relative.margin(), 1e-12, "0.1% of signum's (the reference b's) best loss");
        assertEquals(ClaimResult.INCONCLUSIVE, relative.verdict(), "3.5 millinats is inside the interval's reach");
        assertTrue(relative.marginNeeded() > relative.margin());
        ClaimResult sd = Claims.evaluate(analysis(eq, 5, new MarginPolicy(MarginPolicy.Kind.SEED_SD, 2), true, Set.of()),
                t, WORST, BOOTSTRAP).get(0);
        assertEquals(0.020312557692225577, sd.margin(), 1e-12, "twice the pooled seed SD over both arms' four points "
                + "(numpy: 2 * sqrt(sum of squares about each point's mean / 16))");
    }

    @Test
    void selectionSeedsChooseAndTheOthersJudge() {
        List<TrialRecord> t = new ArrayList<>();
        for (long s = 0; s < 6; s++) {
            // seed 0 prefers lr 0.01 for adamw; the judging seeds say lr 0.001 would have been better
            t.add(Made.trial("adamw", Map.of("lr", "0.001"), s, s == 0 ? 3.60 : 3.50 + 0.001 * s));
            t.add(Made.trial("adamw", Map.of("lr", "0.01"), s, s == 0 ? 3.40 : 3.55 + 0.001 * s));
            t.add(Made.trial("sgd", Map.of("lr", "0.1"), s, 3.53 + 0.002 * s));
        }
        List<ClaimSpec> better = List.of(spec("b", ClaimSpec.Type.BETTER, "adamw", "sgd", Metric.BEST_LOSS, Double.NaN));
        ClaimResult chosenOnZero = Claims.evaluate(analysis(better, 5, MarginPolicy.NONE, true, Set.of(0L)), t, WORST,
                BOOTSTRAP).get(0);
        assertEquals(5, chosenOnZero.nPairs(), "judged on seeds 1-5");
        assertEquals(3.553 - 3.536, chosenOnZero.estimate(), 1e-9, "adamw at lr 0.01 (chosen by seed 0), seeds 1-5");
        assertEquals(ClaimResult.REFUTED, chosenOnZero.verdict());
        ClaimResult everySeed = Claims.evaluate(analysis(better, 5, MarginPolicy.NONE, true, Set.of()), t, WORST, BOOTSTRAP)
                .get(0);
        assertEquals(6, everySeed.nPairs());
    }

    @Test
    void widthClaimsUseTheSeedBootstrapAndCensoredWidthsAreInconclusive() {
        List<TrialRecord> t = new ArrayList<>();
        double[] us = {-4, -3.5, -3, -2.5, -2};
        double[] flat = {3.50, 3.08, 3.00, 3.01, 3.40};
        double[] sharp = {3.9, 3.5, 3.0, 3.6, 4.2};
        for (int i = 0; i < us.length; i++) {
            for (int s = 0; s < 3; s++) {
                double jitter = (s - 1) * 0.002;
                t.add(Made.trial("signum", Map.of("lr", Made.lr(us[i])), s, flat[i] + jitter));
                t.add(Made.trial("sgd", Map.of("lr", Made.lr(us[i])), s, sharp[i] + jitter));
                t.add(Made.trial("lion", Map.of("lr", Made.lr(us[i])), s, 3.0 + 0.001 * i + jitter));
            }
        }
        ClaimResult wider = claim(t, ClaimSpec.Type.WIDER, "signum", "sgd", Metric.WIDTH_5PCT, Double.NaN);
        assertEquals(ClaimResult.SUPPORTED, wider.verdict(), wider.toString());
        assertEquals("bootstrap", wider.method());
        assertTrue(wider.estimate() > 0.5 && wider.ci()[0] > 0, "signum's 5% region is wider than sgd's");
        assertEquals(ClaimResult.REFUTED, claim(t, ClaimSpec.Type.NARROWER, "signum", "sgd", Metric.WIDTH_5PCT, Double.NaN)
                .verdict());
        ClaimResult censored = claim(t, ClaimSpec.Type.WIDER, "lion", "sgd", Metric.WIDTH_5PCT, Double.NaN);
        assertEquals(ClaimResult.INCONCLUSIVE, censored.verdict());
        assertTrue(censored.reason().contains("reaches the grid's end"), censored.reason());
        ClaimResult excess = claim(t, ClaimSpec.Type.BETTER, "signum", "sgd", Metric.EXCESS, Double.NaN);
        assertEquals(ClaimResult.INCONCLUSIVE, excess.verdict(), "two points each side of both optima, yet no claim on "
                + "excess");
        assertTrue(excess.reason().contains("keeps its nominal coverage"), excess.reason());
    }

    @Test
    void anExcessWithOnePointBelowItsOptimumIsInconclusive() {
        List<TrialRecord> t = new ArrayList<>();
        String[] lrs = {"0.001", "0.01"};
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 2; i++) {
                t.add(Made.trial("adamw", Map.of("lr", lrs[i]), s, 3.5 - 0.1 * i + 0.001 * s));
                t.add(Made.trial("signum", Map.of("lr", lrs[i]), s, 3.6 - 0.1 * i + 0.002 * s));
            }
        }
        ClaimResult r = claim(t, ClaimSpec.Type.EQUIVALENT, "adamw", "signum", Metric.EXCESS, 0.1);
        assertEquals(ClaimResult.INCONCLUSIVE, r.verdict());
        assertTrue(r.reason().contains("two points on each side of its optimum; it has 1 below and 0 above"), r.reason());
    }

    @Test
    void armsCanBeValuesOfAnAxisOfOneOptimizer() {
        List<TrialRecord> t = new ArrayList<>();
        for (String beta1 : new String[] {"0.0", "0.9"}) {
            for (String lr : new String[] {"0.001", "0.01"}) {
                for (int s = 0; s < 3; s++) {
                    double base = beta1.equals("0.9") ? 3.0 : 3.3;
                    t.add(Made.trial("signum", Map.of("beta1", beta1, "lr", lr), s, base + (lr.equals("0.01") ? 0.2 : 0)
                            + 0.003 * s + (beta1.equals("0.9") ? 0.001 * s * s : 0)));
                }
            }
        }
        ClaimSpec c = new ClaimSpec("momentum", ClaimSpec.Type.BETTER, new Arm("signum", Point.of("beta1", "0.9")),
                new Arm("signum", Point.of("beta1", "0")), Metric.BEST_LOSS, Double.NaN, "0.9", "0");
        ClaimResult r = Claims.evaluate(analysis(List.of(c), 3, MarginPolicy.NONE, true, Set.of()), t, WORST, BOOTSTRAP)
                .get(0);
        assertEquals(ClaimResult.SUPPORTED, r.verdict(), r.toString());
        assertEquals(-0.3 + 0.005 / 3, r.estimate(), 1e-9, "each arm's best LR (0.001), paired over seeds 0-2");
        assertTrue(r.paired());
    }
}
