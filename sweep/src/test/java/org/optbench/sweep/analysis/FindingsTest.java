package org.optbench.sweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Points;

/** The analysis over any axis: which axes are found, what each panel holds and tunes, the pairwise table and devices. */
class FindingsTest {

    /** adamw over beta1 x lr: the best LR moves with beta1; 2 seeds. */
    private static List<TrialRecord> betaByLr() {
        List<TrialRecord> t = new ArrayList<>();
        String[] betas = {"0.0", "0.5", "0.9", "0.95"};
        String[] lrs = {"0.001", "0.00316", "0.01"};
        double[][] loss = {{3.50, 3.40, 3.45}, {3.30, 3.25, 3.35}, {3.20, 3.10, 3.30}, {3.15, 3.12, 3.40}};
        for (int b = 0; b < betas.length; b++) {
            for (int l = 0; l < lrs.length; l++) {
                for (int s = 0; s < 2; s++) {
                    t.add(Made.trial("adamw", Map.of("beta1", betas[b], "lr", lrs[l]), s, loss[b][l] + 0.004 * s));
                }
            }
        }
        return t;
    }

    @Test
    void aBetaSweepIsAnAxisWithItsOwnPanelAndTheLrIsTunedPerPoint() {
        Findings f = Findings.of(betaByLr(), AnalysisSpec.defaults());
        assertEquals(List.of("lr", "beta1"), f.axes().stream().map(Axis::name).toList());
        assertEquals(Axis.Scale.LINEAR, f.axes().get(1).scale());
        OptimizerFindings beta = f.panels().get("beta1").get(0);
        assertEquals(List.of("lr"), beta.curve().tuned());
        assertEquals(List.of("0.0", "0.5", "0.9", "0.95"), beta.curve().points().stream().map(p -> p.value().text()).toList());
        assertEquals(List.of(3.402, 3.252, 3.102, 3.122), beta.curve().points().stream()
                .map(p -> Math.round(p.mean(f.worst()) * 1000) / 1000.0).toList(), "each beta1 at its best LR");
        assertEquals("0.9", beta.best().value().text());
        OptimizerFindings lr = f.panels().get("lr").get(0);
        assertEquals(Map.of("beta1", "0.9"), Points.texts(lr.curve().held()), "the LR panel holds beta1 at its best");
        assertEquals(List.of(3.202, 3.102, 3.302), lr.curve().points().stream()
                .map(p -> Math.round(p.mean(f.worst()) * 1000) / 1000.0).toList());
        assertEquals("lr tuned per point", beta.curve().conditions());
        assertEquals("beta1 held at 0.9", lr.curve().conditions());
        assertEquals(lr, f.summaries().get(0), "the summary is along the LR");
    }

    @Test
    void aTunedLrOnTheEdgeOfTheRatesTriedAtAPointIsWarnedNamingThePoint() {
        List<TrialRecord> t = betaByLr();
        Findings f = Findings.of(t, AnalysisSpec.defaults());
        assertTrue(f.warnings().stream().noneMatch(w -> w.contains("tuned lr")), "every tuned LR is interior: " + f.warnings());
        t.add(Made.trial("adamw", Map.of("beta1", "0.99", "lr", "0.001"), 0, 3.40));
        t.add(Made.trial("adamw", Map.of("beta1", "0.99", "lr", "0.01"), 0, 3.05));
        List<String> warned = Findings.of(t, AnalysisSpec.defaults()).warnings();
        assertTrue(warned.contains("adamw's tuned lr at beta1=0.99 (0.01) is on the high edge of the rates tried there; "
                + "extend its lr grid"), warned.toString());
    }

    @Test
    void aSettingAtTwoLevelsIsComparedNotSearchedSoItsBestIsNoEdge() {
        List<TrialRecord> t = new ArrayList<>();
        String[] lrs = {"0.001", "0.00316", "0.01"};
        double[] curve = {3.3, 3.2, 3.4};
        for (String beta : new String[] {"0.0", "0.9"}) {
            for (int l = 0; l < lrs.length; l++) {
                t.add(Made.trial("signum", Map.of("beta1", beta, "lr", lrs[l]), 0, curve[l] - (beta.equals("0.9") ? 0.1 : 0)));
            }
        }
        assertEquals(List.of(), Findings.of(t, AnalysisSpec.defaults()).warnings(), "beta1 0.9 is the better of two levels");
        for (int l = 0; l < lrs.length; l++) {
            t.add(Made.trial("signum", Map.of("beta1", "0.95", "lr", lrs[l]), 0, curve[l] - 0.2));
        }
        assertEquals(List.of("the best beta1 of signum (0.95) is on the high edge of its grid; a value past it was not tried"),
                Findings.of(t, AnalysisSpec.defaults()).warnings(), "three values are a range searched");
    }

    @Test
    void aFixedLrIsSaidInTheCaption() {
        List<TrialRecord> t = new ArrayList<>();
        for (String beta : new String[] {"0.0", "0.9"}) {
            t.add(Made.trial("signum", Map.of("beta1", beta, "lr", "0.001"), 0, 3.3));
        }
        Findings f = Findings.of(t, AnalysisSpec.defaults());
        assertEquals("lr fixed at 0.001, not tuned", f.panels().get("beta1").get(0).curve().conditions());
    }

    @Test
    void pairsAreHolmCorrectedAndDevicesCompared() {
        List<TrialRecord> t = new ArrayList<>();
        double[][] seeds = {{4.00, 4.01, 3.99}, {4.40, 4.42, 4.41}, {4.012, 4.018, 4.003}};
        String[] opts = {"adamw", "sgd", "signum"};
        for (int o = 0; o < 3; o++) {
            for (int s = 0; s < 3; s++) {
                for (String device : new String[] {"cpu", "opencl"}) {
                    double drift = device.equals("opencl") && o == 1 && s == 2 ? 0.05 : device.equals("opencl") ? 1e-6 : 0;
                    t.add(Made.trial(opts[o], Map.of("lr", "0.01", "device", device), s, seeds[o][s] + drift));
                }
            }
        }
        Findings f = Findings.of(t, new AnalysisSpec(MarginPolicy.nats(0.05), 500, 0.01, List.of(), 0, 3, true, java.util.Set.of()));
        assertEquals(3, f.pairs().size());
        PairTest adamSgd = f.pairs().get(0);
        assertEquals("adamw", adamSgd.a());
        assertTrue(adamSgd.p() < 1e-3 && adamSgd.pHolm() >= adamSgd.p());
        PairTest adamSignum = f.pairs().get(1);
        assertTrue(adamSignum.pTost() < 0.05, "0.01 apart with a 0.05 margin: equivalent");
        DeviceAgreement d = f.devices();
        assertNotNull(d);
        assertEquals("cpu", d.reference());
        DeviceAgreement.Comparison c = d.comparisons().get(0);
        assertEquals("opencl", c.device());
        assertEquals(9, c.pairs());
        assertEquals(0.05, c.maxAbsDiff(), 1e-9);
        assertEquals(1, c.disagreeing().size(), "one trial pair differs by more than 0.01");
        assertEquals(List.of("device"), f.axes().stream().map(Axis::name).toList());
        assertEquals(Axis.Scale.CATEGORY, f.axes().get(0).scale());
    }
}
