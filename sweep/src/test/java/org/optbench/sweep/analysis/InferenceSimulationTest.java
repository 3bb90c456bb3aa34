package org.optbench.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Point;

/**
 * Simulated studies of known truth, seeded so every run sees the same draws. A seed fixes the
 * initial weights and the data order, so its effect is shared by every arm and point it runs
 * (sd 0.05 nats here), while each run adds its own noise. The claims path must detect a small
 * difference under that shared effect by pairing, support an equivalence whose truth lies well
 * inside the margin and support one at the margin at most at the nominal 5%, and its 95%
 * intervals must cover the truth at the nominal rate for means and within the band stated for
 * widths ({@link Bootstrap#MIN_SEEDS} seeds and up).
 */
class InferenceSimulationTest {

    private static final double WORST = 9;
    private static final double SEED_EFFECT = 0.05;

    /** One study: each arm at one LR, {@code n} seeds, the seed effect shared when {@code shared}. */
    private static List<TrialRecord> study(Random rng, int n, double lossA, double lossB, double noise, boolean shared) {
        List<TrialRecord> t = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            double seedA = SEED_EFFECT * rng.nextGaussian();
            double seedB = shared ? seedA : SEED_EFFECT * rng.nextGaussian();
            t.add(Made.trial("a", Map.of("lr", "0.001"), s, lossA + seedA + noise * rng.nextGaussian()));
            t.add(Made.trial("b", Map.of("lr", "0.001"), shared ? s : 100 + s, lossB + seedB + noise * rng.nextGaussian()));
        }
        return t;
    }

    private static ClaimResult judge(List<TrialRecord> trials, ClaimSpec.Type type, double margin) {
        ClaimSpec c = new ClaimSpec("c", type, new Arm("a", Point.EMPTY), new Arm("b", Point.EMPTY), Metric.BEST_LOSS, margin,
                "a", "b");
        return Claims.evaluate(new AnalysisSpec(MarginPolicy.NONE, 200, 0.01, List.of(c), 0, 5, true, Set.of()), trials,
                WORST, new Bootstrap(200, 1)).get(0);
    }

    private static double rate(int reps, java.util.function.IntPredicate hit) {
        int n = 0;
        for (int r = 0; r < reps; r++) {
            if (hit.test(r)) {
                n++;
            }
        }
        return n / (double) reps;
    }

    /** The same runs with b's seeds renamed, so that nothing pairs them and Welch's test judges. */
    private static List<TrialRecord> unpaired(List<TrialRecord> trials) {
        return trials.stream().map(t -> !t.optimizer().equals("b") ? t : new TrialRecord(t.id(), t.sweepId(), t.index(),
                t.key(), t.optimizer(), t.point(), t.seed() + 1000, t.status(), t.error(), t.attempts(), t.executorId(),
                t.startedAt(), t.finishedAt(), t.finalValLoss(), t.divergedAt(), t.stateBytes(), t.result(), t.lastStep(),
                t.lastLoss())).toList();
    }

    @Test
    void pairingDetectsASmallDifferenceUnderALargeSharedSeedEffect() {
        Random rng = new Random(1);
        int[] paired = {0};
        int[] welch = {0};
        int reps = 300;
        for (int r = 0; r < reps; r++) {
            List<TrialRecord> runs = study(rng, 5, 3.50, 3.51, 0.003, true);
            ClaimResult p = judge(runs, ClaimSpec.Type.BETTER, Double.NaN);
            ClaimResult w = judge(unpaired(runs), ClaimSpec.Type.BETTER, Double.NaN);
            assertTrue(p.method().equals("paired_t") && w.method().equals("welch"), p.method() + " " + w.method());
            paired[0] += p.verdict().equals(ClaimResult.SUPPORTED) ? 1 : 0;
            welch[0] += w.verdict().equals(ClaimResult.SUPPORTED) ? 1 : 0;
        }
        assertTrue(paired[0] >= 0.95 * reps, "0.01 nats under a 0.05 seed effect, 5 paired seeds: detected in "
                + paired[0] + " of " + reps);
        assertTrue(welch[0] <= 0.25 * reps, "the same runs unpaired (Welch): detected in " + welch[0] + " of " + reps);
    }

    @Test
    void aWidthClaimBetweenArmsOfTheSameTruthIsRarelyDecided() {
        double[] x = new double[9];
        for (int i = 0; i < 9; i++) {
            x[i] = -4 + 0.25 * i;
        }
        Random rng = new Random(9);
        int reps = 300;
        int n = 5;
        double decided = rate(reps, r -> {
            List<TrialRecord> t = new ArrayList<>();
            double[] shared = new double[n];
            for (int s = 0; s < n; s++) {
                shared[s] = SEED_EFFECT * rng.nextGaussian();
            }
            for (String arm : new String[] {"a", "b"}) {
                for (int i = 0; i < 9; i++) {
                    for (int s = 0; s < n; s++) {
                        t.add(Made.trial(arm, Map.of("lr", Made.lr(x[i])), s, curve(x[i]) + shared[s]
                                + 0.01 * rng.nextGaussian()));
                    }
                }
            }
            ClaimSpec c = new ClaimSpec("w", ClaimSpec.Type.WIDER, new Arm("a", Point.EMPTY), new Arm("b", Point.EMPTY),
                    Metric.WIDTH_01, Double.NaN, "a", "b");
            String v = Claims.evaluate(new AnalysisSpec(MarginPolicy.NONE, 200, 0.01, List.of(c), 0, n, true, Set.of()), t,
                    WORST, new Bootstrap(200, r)).get(0).verdict();
            return !v.equals(ClaimResult.INCONCLUSIVE);
        });
        assertTrue(decided <= 0.05 + 3 * Math.sqrt(0.05 * 0.95 / reps), "two arms of one true curve: a width verdict in "
                + decided + " of studies, at most the nominal 5% (3 Monte Carlo SDs over)");
    }

    @Test
    void equivalenceIsSupportedInsideTheMarginAndAtMostNominallyAtIt() {
        Random rng = new Random(2);
        double inside = rate(400, r -> judge(study(rng, 5, 3.50, 3.51, 0.01, true), ClaimSpec.Type.EQUIVALENT, 0.05)
                .verdict().equals(ClaimResult.SUPPORTED));
        double atMargin = rate(2000, r -> judge(study(rng, 5, 3.50, 3.55, 0.01, true), ClaimSpec.Type.EQUIVALENT, 0.05)
                .verdict().equals(ClaimResult.SUPPORTED));
        double beyond = rate(1000, r -> judge(study(rng, 5, 3.50, 3.57, 0.01, true), ClaimSpec.Type.EQUIVALENT, 0.05)
                .verdict().equals(ClaimResult.SUPPORTED));
        assertTrue(inside >= 0.9, "a true 0.01 inside a 0.05 margin: supported in " + inside);
        assertTrue(atMargin <= 0.05 + 3 * Math.sqrt(0.05 * 0.95 / 2000), "a true difference at the margin: supported in "
                + atMargin + ", at most the nominal 5% (3 Monte Carlo SDs over)");
        assertTrue(beyond <= 0.01, "a true 0.07 against a 0.05 margin: supported in " + beyond);
    }

    @Test
    void meanIntervalsCoverAtTheNominalRateAtFiveSeeds() {
        Random rng = new Random(3);
        int reps = 4000;
        double band = 3 * Math.sqrt(0.05 * 0.95 / reps);
        double point = rate(reps, r -> {
            double[] x = new double[5];
            for (int s = 0; s < 5; s++) {
                x[s] = 3.5 + SEED_EFFECT * rng.nextGaussian();
            }
            double[] ci = TTest.meanInterval(x, 0.95);
            return ci[0] <= 3.5 && 3.5 <= ci[1];
        });
        double difference = rate(reps, r -> {
            ClaimResult c = judge(study(rng, 5, 3.50, 3.52, 0.01, true), ClaimSpec.Type.BETTER, Double.NaN);
            return c.ci()[0] <= -0.02 && -0.02 <= c.ci()[1];
        });
        assertTrue(Math.abs(point - 0.95) <= band, "a best point's mean: " + point);
        assertTrue(Math.abs(difference - 0.95) <= band, "a paired difference of arms: " + difference);
    }

    /** The loss of a curve over 9 log-spaced LRs (log10 from -4 to -2) with its optimum at -3.1, inside. */
    private static double curve(double u) {
        return 3.5 + 0.3 * (u + 3.1) * (u + 3.1);
    }

    @Test
    void widthIntervalsCoverWithinTheStatedBandFromThreeSeeds() {
        double[] x = new double[9];
        double[][] truthPoints = new double[9][1];
        for (int i = 0; i < 9; i++) {
            x[i] = -4 + 0.25 * i;
            truthPoints[i][0] = curve(x[i]);
        }
        int reps = 300;
        for (Metric m : List.of(Metric.WIDTH_5PCT, Metric.WIDTH_01)) {
            double truth = m.of(x, truthPoints, WORST, Axis.Scale.LOG);
            for (double noise : new double[] {0.01, 0.03}) {
                for (int n : new int[] {Bootstrap.MIN_SEEDS, 5, 10}) {
                    for (boolean refined : new boolean[] {false, true}) {
                        Random rng = new Random(n * 31L + (long) (noise * 1000) + (refined ? 7 : 0));
                        double[] widthSum = {0};
                        double coverage = rate(reps, r -> {
                            double[][] points = new double[9][];
                            long[][] seeds = new long[9][];
                            double[] shared = new double[n];
                            for (int s = 0; s < n; s++) {
                                shared[s] = SEED_EFFECT * rng.nextGaussian();
                            }
                            for (int i = 0; i < 9; i++) {
                                // refined: n seeds at the three points around the optimum (-3.25, -3, -2.75), one elsewhere
                                int k = !refined || (i >= 3 && i <= 5) ? n : 1;
                                points[i] = new double[k];
                                seeds[i] = new long[k];
                                for (int s = 0; s < k; s++) {
                                    points[i][s] = curve(x[i]) + shared[s] + noise * rng.nextGaussian();
                                    seeds[i][s] = s;
                                }
                            }
                            double[] ci = new Bootstrap(400, r).interval(points, seeds,
                                    p -> m.of(x, p, WORST, Axis.Scale.LOG), 0.95);
                            widthSum[0] += ci[1] - ci[0];
                            return ci[0] <= truth && truth <= ci[1];
                        });
                        String what = m.key() + " at " + n + " seeds" + (refined ? " around the optimum, one elsewhere" : "")
                                + ", run noise " + noise + ": coverage " + coverage;
                        assertTrue(coverage >= 0.90, what + " (band: 0.90 to 1 for a nominal 0.95)");
                        double mean = widthSum[0] / reps;
                        assertTrue(refined || mean < truth, what + ", mean interval " + mean + " decades: with every "
                                + "point seeded the interval is informative");
                    }
                }
            }
        }
    }
}
