package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.analysis.ClaimResult;
import org.optbench.sweep.analysis.CurvePoint;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.OptimizerFindings;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Points;
import org.optbench.sweep.trial.Trial;

/** {@code method: one_at_a_time}: the paper's one-dimensional sweeps, from the spec to the verdicts. */
class OneAtATimeTest {

    private static final String SPEC = """
            name: robust
            method: one_at_a_time
            model: {d_model: 16, layers: 1, heads: 2, seq_len: 16, vocab: 64}
            data: synthetic
            steps: 10
            seeds: [1, 2, 3]
            analysis: {margin: 0.05, min_seeds: 3}
            parameters:
              optimizer:
                adamw:
                  lr: {value: 0.01}
                  beta1: {values: [0.8, 0.9, 0.95], default: 0.9}
                signum:
                  lr: {value: 0.001}
              batch: {values: [8, 16], default: 16}
            claims:
              - {id: beta1-low, type: equivalent, a: {optimizer: adamw, beta1: 0.8}, b: adamw}
              - {id: batch-small, type: better, a: {optimizer: adamw, batch: 8}, b: adamw}
              - {id: signum-batch, type: equivalent, a: {optimizer: signum, batch: 8}, b: signum}
            """;

    @Test
    void theDefaultPointComesFirstThenEachSettingAloneWithTheRestAtTheirDefaults() {
        SweepSpec spec = SweepSpecParser.parse(SPEC, "robust.yaml");
        List<Trial> trials = SweepExpander.expand(spec);
        assertEquals(4, spec.pointCount("adamw"), "the default point, 2 other beta1 values, 1 other batch");
        assertEquals(2, spec.pointCount("signum"));
        assertEquals((4 + 2) * 3, spec.trialCount());
        assertEquals(spec.trialCount(), trials.size());
        List<Map<String, String>> adamw = trials.stream().filter(t -> t.optimizer().equals("adamw") && t.seed() == 1)
                .map(t -> Points.texts(t.point())).toList();
        assertEquals(List.of(
                Map.of("lr", "0.01", "beta1", "0.9", "batch", "16"),
                Map.of("lr", "0.01", "beta1", "0.8", "batch", "16"),
                Map.of("lr", "0.01", "beta1", "0.95", "batch", "16"),
                Map.of("lr", "0.01", "beta1", "0.9", "batch", "8")), adamw);
        List<Map<String, String>> signum = trials.stream().filter(t -> t.optimizer().equals("signum") && t.seed() == 1)
                .map(t -> Points.texts(t.point())).toList();
        assertEquals(List.of(Map.of("lr", "0.001", "batch", "16"), Map.of("lr", "0.001", "batch", "8")), signum);
        assertEquals(trials.size(), trials.stream().map(t -> t.optimizer() + t.point() + t.seed())
                .collect(Collectors.toSet()).size(), "no point runs twice");
    }

    @Test
    void aSpecThatCannotRunOneAtATimeIsRefusedNamingTheFix() {
        assertRefused(SPEC.replace(", default: 0.9}", "}"), "beta1 has 3 values: a one-at-a-time sweep needs its default");
        assertRefused(SPEC.replace("default: 0.9", "default: 0.99"), "default 0.99 is not one of its values [0.8, 0.9, 0.95]");
        assertRefused(SPEC.replace("method: one_at_a_time", "method: grid"), "use method: one_at_a_time or remove it");
        assertRefused(SPEC.replace("[0.8, 0.9, 0.95]", "[0.8, 0.9, 0.9]"), "lists a value twice");
        assertRefused(SPEC.replace("{value: 0.01}", "{min: 0.001, max: 0.1, distribution: log_uniform_values}"),
                "a one-at-a-time sweep takes value or values; use method: random");
        assertRefused(SPEC.replace("analysis:", "refine: {seeds: 5}\nanalysis:"), "refine and extend_edges work on a grid");
        assertRefused(SPEC.replace("{value: 0.001}", "{value: 0.001, default: 0.001}"), "default goes with a list of values");
    }

    private static void assertRefused(String text, String expected) {
        SweepSpecException e = assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(text, "robust.yaml"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * Losses with strong effects off the default (batch 8 far better, beta1 0.95 far worse) and a
     * small one at beta1 0.8, each with a little seed-to-seed spread: an arm or curve that took in a point it should not, or a summary
     * that took the best point rather than the default, shows in the numbers.
     */
    @Test
    void claimsCurvesAndSummariesReadTheOtherSettingsAtTheirDefaults() {
        SweepSpec spec = SweepSpecParser.parse(SPEC, "robust.yaml");
        List<TrialRecord> records = new ArrayList<>();
        for (Trial t : SweepExpander.expand(spec)) {
            Map<String, String> p = Points.texts(t.point());
            double loss = (t.optimizer().equals("adamw") ? 3.0 : 3.3) + 0.01 * t.seed() * t.seed()
                    + (p.get("beta1") == null ? 0 : p.get("beta1").equals("0.8") ? 0.002 + 0.0005 * (t.seed() - 2) : p.get("beta1").equals("0.95")
                    ? 0.2 : 0) + (p.get("batch").equals("8") ? -0.5 + 0.001 * t.seed() : 0);
            records.add(new TrialRecord("t" + t.index(), "s", t.index(), "k" + t.index(), t.optimizer(), t.point(),
                    t.seed(), TrialStatus.COMPLETED, null, 1, null, null, null, loss, null, 800L, null, null, null));
        }
        Findings f = Findings.of(records, spec.analysis(), 64);
        Map<String, ClaimResult> claims = f.claims().stream().collect(Collectors.toMap(c -> c.claim().id(), c -> c));
        assertEquals(0.002, claims.get("beta1-low").estimate(), 1e-9, "beta1 0.8 against the default point alone");
        assertTrue(claims.get("beta1-low").paired() && claims.get("beta1-low").nPairs() == 3);
        assertEquals(ClaimResult.SUPPORTED, claims.get("beta1-low").verdict());
        assertEquals(-0.498, claims.get("batch-small").estimate(), 1e-9);
        assertEquals(ClaimResult.SUPPORTED, claims.get("batch-small").verdict());
        assertEquals(-0.498, claims.get("signum-batch").estimate(), 1e-9);
        assertEquals(ClaimResult.REFUTED, claims.get("signum-batch").verdict());

        OptimizerFindings beta1 = f.panels().get("beta1").get(0);
        double base = 3.0 + 0.14 / 3;
        List<Double> means = beta1.curve().points().stream().map(p -> p.mean(f.worst())).toList();
        assertEquals(3, means.size(), "0.8, 0.9 and 0.95, each at batch 16");
        assertEquals(base + 0.002, means.get(0), 1e-9);
        assertEquals(base, means.get(1), 1e-9);
        assertEquals(base + 0.2, means.get(2), 1e-9);
        assertEquals(Set.of("adamw", "signum"), f.panels().get("batch").stream().map(OptimizerFindings::optimizer)
                .collect(Collectors.toSet()));
        for (OptimizerFindings s : f.summaries()) {
            assertEquals(1, s.curve().points().size(), s.optimizer() + ": the summary is the default point");
            assertEquals("16", Points.texts(s.best().setting()).get("batch"));
            assertTrue(Double.isNaN(s.stability().widths().values().iterator().next()), "one point has no width");
        }
        assertEquals("lr", f.summaryAxis());
        assertEquals(3.0 + 0.14 / 3, f.summary("adamw").bestLoss(), 1e-9, "the default's loss, not batch 8's");
        assertTrue(f.warnings().stream().anyMatch(w -> w.contains("the best batch of adamw (8) is on the low edge")),
                f.warnings().toString());
    }
}
