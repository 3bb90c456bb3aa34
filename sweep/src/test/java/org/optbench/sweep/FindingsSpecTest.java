package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.analysis.Arm;
import org.optbench.sweep.analysis.ClaimSpec;
import org.optbench.sweep.analysis.Metric;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.Points;
import org.optbench.sweep.trial.SweptValue;
import org.optbench.sweep.trial.Trial;

/**
 * The spec keys of the findings engine: claims resolved against the sweep's optimizers and grids
 * when the spec is read, refine and extend_edges with the trial bound they add, devices as an
 * axis, and the trials refine and extend_edges add once results are in.
 */
class FindingsSpecTest {

    private static final String BASE = """
            name: f
            steps: 10
            data: synthetic
            parameters:
              optimizer:
                adamw: {lr: {values: [1.0e-3, 3.16e-3, 1.0e-2]}, beta1: {values: [0.8, 0.9]}}
                signum: {lr: {values: [1.0e-4, 3.16e-4, 1.0e-3]}}
            """;

    private static SweepSpec parse(String extra) {
        return SweepSpecParser.parse(BASE + extra, "f.yaml");
    }

    private static void refused(String extra, String fragment) {
        SweepSpecException e = assertThrows(SweepSpecException.class, () -> parse(extra));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void claimsAreResolvedToArmsWhenTheSpecIsRead() {
        SweepSpec spec = parse("""
                analysis: {margin: 0.02, bootstrap: 500}
                claims:
                  - {id: same, type: equivalent, a: adamw, b: signum, metric: best_loss, margin: 0.05}
                  - {id: momentum, type: better, a: 0.9, b: 0.8, optimizer: adamw}
                  - {id: wide, type: wider, a: signum, b: adamw, metric: width_5pct}
                  - {id: tied, type: worse, a: {optimizer: adamw, beta1: 0.8}, b: signum}
                """);
        List<ClaimSpec> claims = spec.analysis().claims();
        assertEquals(4, claims.size());
        assertEquals(org.optbench.sweep.analysis.MarginPolicy.nats(0.02), spec.analysis().margin());
        assertEquals(500, spec.analysis().bootstrapSamples());
        assertEquals(5, spec.analysis().minSeeds(), "five seeds by default");
        assertTrue(spec.analysis().holm(), "Holm across claims by default");
        assertEquals(new Arm("adamw", Point.EMPTY), claims.get(0).a());
        assertEquals(0.05, claims.get(0).margin());
        assertEquals(new Arm("adamw", Point.of("beta1", "0.9")), claims.get(1).a(), "a value found in adamw's beta1 grid");
        assertEquals(Metric.BEST_LOSS, claims.get(1).metric(), "best_loss by default");
        assertEquals(Metric.WIDTH_5PCT, claims.get(2).metric());
        assertEquals(new Arm("adamw", Point.of("beta1", "0.8")), claims.get(3).a());
        assertEquals("adamw beta1=0.8", claims.get(3).aText(), "an arm is written as people write it");
        assertEquals("0.9", claims.get(1).aText());
    }

    @Test
    void badClaimsAreRefusedWithTheFix() {
        refused("claims:\n  - {id: x, type: equivalent, a: adamw, b: signum}\n", "equivalent needs a margin");
        refused("claims:\n  - {id: x, type: similar, a: adamw, b: signum}\n", "type 'similar' must be one of [equivalent,");
        refused("claims:\n  - {id: x, type: worse, a: lion, b: signum}\n", "optimizer 'lion' is not in this sweep; choose from [adamw, signum]");
        refused("claims:\n  - {id: x, type: wider, a: adamw, b: signum}\n", "wider compares widths");
        refused("claims:\n  - {id: x, type: worse, a: adamw, b: signum, metric: speed}\n", "unknown metric 'speed'");
        refused("claims:\n  - {id: x, type: worse, a: adamw, b: signum, margin: 0.1}\n", "margin is for equivalent claims");
        refused("claims:\n  - {id: x, type: better, a: 0.9, b: 0.8}\n", "add optimizer: NAME to the claim");
        refused("claims:\n  - {id: x, type: better, a: 0.7, b: 0.8, optimizer: adamw}\n", "'0.7' is neither an optimizer");
        refused("claims:\n  - {id: x, type: worse, a: adamw, b: adamw}\n", "a and b are the same trials");
        refused("claims:\n  - {id: x, type: worse, a: adamw, b: signum}\n  - {id: x, type: worse, a: signum, b: adamw}\n",
                "claim id 'x' appears twice");
        refused("claims:\n  - {id: x, type: worse, a: {optimizer: adamw, eps: 1e-8}, b: signum}\n",
                "adamw does not sweep 'eps'");
        refused("analysis: {margin: -1}\n", "analysis.margin '-1' must be a positive number");
        refused("analysis: {margin: {relative: 0}}\n", "analysis.margin.relative '0' must be a positive number");
        refused("analysis: {margin: {percent: 1}}\n", "must be nats (0.05), {relative: R}");
        refused("analysis: {min_seeds: 1}\n", "analysis.min_seeds '1' must be a whole number in [2,");
        refused("analysis: {correction: bonferroni}\n", "analysis.correction 'bonferroni' must be holm");
        refused("analysis: {select_on: 0}\n", "analysis.select_on must be a list of seeds");
        refused("seeds: [0, 1]\nanalysis: {select_on: [2]}\n", "analysis.select_on seed 2 is not one of the seeds [0, 1]");
        refused("seeds: [0]\nanalysis: {select_on: [0]}\n", "leaves no seed to judge the claims on");
        refused("analysis: {margin: 0.05}\nclaims:\n  - {id: x, type: equivalent, a: adamw, b: signum, metric: width_1pct}\n",
                "equivalent on width_1pct needs its own margin");
    }

    @Test
    void oneMarginPolicyServesEveryEquivalenceClaimWithoutItsOwn() {
        SweepSpec spec = parse("""
                seeds: [0, 1, 2]
                analysis: {margin: {seed_sd: 2}, min_seeds: 3, correction: none, select_on: [0]}
                claims:
                  - {id: same, type: equivalent, a: adamw, b: signum}
                """);
        assertEquals(new org.optbench.sweep.analysis.MarginPolicy(org.optbench.sweep.analysis.MarginPolicy.Kind.SEED_SD, 2),
                spec.analysis().margin());
        assertTrue(Double.isNaN(spec.analysis().claims().get(0).margin()), "the claim takes the study's policy");
        assertEquals(3, spec.analysis().minSeeds());
        assertEquals(java.util.Set.of(0L), spec.analysis().selectOn());
        assertTrue(!spec.analysis().holm());
    }

    @Test
    void refineAndExtendEdgesAddABoundedNumberOfTrials() {
        SweepSpec spec = parse("seeds: [0]\nrefine: {seeds: 3, around_best: 1}\nextend_edges: {max_points: 2}\n");
        AdaptiveSpec a = spec.adaptive();
        assertEquals("lr", a.axis());
        assertEquals(3 * 2 + 3, spec.trialCount());
        // per arm (adamw at beta1 0.8, adamw at 0.9, signum): 2 edges x 2 points x 1 seed, and 3 rounds x 3
        // points x 2 new seeds
        assertEquals(2, spec.armCount("adamw", "lr"));
        assertEquals(9 + 3 * (4 + 18), spec.maxTrialCount());
        refused("refine: {seeds: 1}\n", "refine.seeds '1' must be a whole number in [2,");
        refused("seeds: [0, 1, 2]\nrefine: {seeds: 3}\n", "refine.seeds 3 adds nothing");
        refused("extend_edges: maybe\n", "extend_edges must be true, false or {max_points: N}");
        SweepSpecException tooMany = assertThrows(SweepSpecException.class, () -> SweepValidator.validate(spec, 20,
                spec::run, SweepSpecTest.context()));
        assertTrue(tooMany.getMessage().contains("9 trials") && tooMany.getMessage().contains("up to 66 more from refine"),
                tooMany.getMessage());
    }

    @Test
    void devicesRunEveryPointOnEachDevice() {
        SweepSpec spec = parse("devices: [cpu, opencl]\n");
        assertEquals((6 + 3) * 2, spec.trialCount());
        assertEquals("opencl", spec.run(SweepExpander.expand(spec).get(1)).device().name());
        refused("devices: cpu\n", "devices must be a non-empty list");
    }

    private static TrialRecord done(String opt, Map<String, String> params, long seed, int index, double loss) {
        return new TrialRecord("f-" + index, "f", index, opt + " " + new java.util.TreeMap<>(params) + " seed=" + seed, opt,
                Points.of(params), seed, TrialStatus.COMPLETED, null, 1, null, null, null, loss, null, 800L, null,
                null, null);
    }

    @Test
    void extensionsFollowTheGridPastAnEdgeThenRefinementAddsSeedsAroundTheBest() {
        SweepSpec spec = SweepSpecParser.parse("""
                name: a
                steps: 10
                data: synthetic
                seeds: [0]
                refine: {seeds: 3, around_best: 1}
                extend_edges: {max_points: 2}
                parameters:
                  optimizer:
                    signum: {lr: {values: [1.0e-4, 3.16e-4, 1.0e-3]}}
                """, "a.yaml");
        List<TrialRecord> trials = new ArrayList<>();
        double[] loss = {3.5, 3.3, 3.1};   // best on the high edge
        List<Trial> grid = SweepExpander.expand(spec);
        for (int i = 0; i < grid.size(); i++) {
            trials.add(done("signum", Points.texts(grid.get(i).point()), 0, i, loss[i]));
        }
        List<Trial> next = AdaptiveTrials.next(spec, trials);
        assertEquals(1, next.size(), "one point past the high edge, at the grid's spacing");
        assertEquals("0.00316", next.get(0).point().get("lr").text());
        assertEquals(3, next.get(0).index());
        trials.add(done("signum", Points.texts(next.get(0).point()), 0, 3, 3.0));
        next = AdaptiveTrials.next(spec, trials);
        assertEquals("0.01", next.get(0).point().get("lr").text(), "still on the edge: one more (0.00316^2 / 0.001 is "
                + "0.00999, written as the grid would: 0.01)");
        assertEquals("0.0316", AdaptiveTrials.written(0.0316227766).text());
        assertEquals("3.16E-7", AdaptiveTrials.written(3.16227766e-7).text());
        trials.add(done("signum", Points.texts(next.get(0).point()), 0, 4, 3.2));
        next = AdaptiveTrials.next(spec, trials);
        assertEquals(6, next.size(), "best 0.00316 is interior: seeds 1 and 2 at it and one point either side");
        assertEquals(List.of("0.001", "0.001", "0.00316", "0.00316", "0.01", "0.01"),
                next.stream().map(t -> t.point().get("lr").text()).toList());
        assertEquals(List.of(1L, 2L, 1L, 2L, 1L, 2L), next.stream().map(Trial::seed).toList());
        int index = 5;
        for (Trial t : next) {
            trials.add(done("signum", Points.texts(t.point()), t.seed(), index++, 3.0 + 0.01 * t.seed()));
        }
        assertEquals(List.of(), AdaptiveTrials.next(spec, trials), "refined: nothing more");
    }

    @Test
    void eachArmOfAnOptimizerIsExtendedAndRefinedOnItsOwn() {
        SweepSpec spec = parse("seeds: [0]\nrefine: {seeds: 2, around_best: 1}\nextend_edges: {max_points: 1}\n");
        List<TrialRecord> trials = new ArrayList<>();
        List<Trial> grid = SweepExpander.expand(spec);
        for (int i = 0; i < grid.size(); i++) {
            Trial t = grid.get(i);
            double lr = t.point().get("lr").asNumber();
            SweptValue beta1 = t.point().get("beta1");
            // adamw at beta1 0.8 is best on its high edge; at beta1 0.9 (the better arm) at 3.16e-3
            double loss = beta1 == null ? 3.0 + Math.abs(Math.log10(lr) + 3.5)
                    : beta1.text().equals("0.8") ? 3.4 - lr : 2.9 + Math.abs(Math.log10(lr) + 2.5);
            trials.add(done(t.optimizer(), Points.texts(t.point()), 0, i, loss));
        }
        List<Trial> next = AdaptiveTrials.next(spec, trials);
        List<String> added = next.stream().map(t -> t.optimizer() + " " + Points.texts(t.point()) + " s" + t.seed()).toList();
        assertEquals(List.of("adamw {beta1=0.8, lr=0.0316} s0",
                "adamw {beta1=0.9, lr=0.001} s1", "adamw {beta1=0.9, lr=0.00316} s1", "adamw {beta1=0.9, lr=0.01} s1",
                "signum {lr=1.0E-4} s1", "signum {lr=3.16E-4} s1", "signum {lr=0.001} s1"), added,
                "the worse adamw arm is extended past its own edge; the better arm and signum are refined");
        assertEquals(List.of(9, 10, 11, 12, 13, 14, 15), next.stream().map(Trial::index).toList());
    }
}
