package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.error.SweepSpecException;

/** ASHA's rungs and cutoffs on hand-computed cases, and its spec validation. */
class EarlyStopRuleTest {

    @Test
    void rungsGrowByEtaAndStopBeforeTheEnd() {
        assertEquals(List.of(10, 30, 90), new EarlyStopRule(10, 3, true).rungs(100));
        assertEquals(List.of(10, 30), new EarlyStopRule(10, 3, true).rungs(90));
        assertEquals(List.of(), new EarlyStopRule(10, 3, true).rungs(10));
    }

    @Test
    void keepsTheBestFractionAsTrialsArrive() {
        EarlyStopRule halve = new EarlyStopRule(4, 2, true);
        assertFalse(halve.stops(9.0, List.of(9.0)), "the first trial at a rung has no company to lose to");
        assertTrue(halve.stops(5.0, List.of(4.0, 5.0)), "median of {4, 5} is 4.5");
        assertFalse(halve.stops(4.0, List.of(4.0, 5.0)));
        EarlyStopRule third = new EarlyStopRule(4, 3, true);
        // numpy.percentile([1, 2, 3, 4], 100/3) = 2.0
        assertFalse(third.stops(2.0, List.of(1.0, 2.0, 3.0, 4.0)));
        assertTrue(third.stops(2.5, List.of(1.0, 2.0, 3.0, 2.5)), "the cutoff of {1, 2, 2.5, 3} is 2.0");
        assertTrue(halve.stops(Double.NaN, List.of(4.0, Double.NaN)), "a non-finite loss always stops");
        assertEquals("adamw", halve.cohort("adamw"));
        assertEquals("", new EarlyStopRule(4, 2, false).cohort("adamw"));
    }

    @Test
    void specValidation() {
        String base = "name: e\nsteps: 100\nparameters:\n  optimizer:\n    adamw: {lr: {values: [0.01, 0.1]}}\n";
        SweepSpec ok = SweepSpecParser.parse(base + "early_terminate: {type: hyperband, min_iter: 10}\n", "s.yaml");
        assertEquals(new EarlyStopRule(10, 3, true), ok.earlyStop());
        assertEquals(null, SweepSpecParser.parse(base, "s.yaml").earlyStop(), "off by default");
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "early_terminate: {type: hyperband, min_iter: 10, s: 2}\n", "s.yaml")).getMessage().contains("valid keys"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "early_terminate: {type: hyperband}\n", "s.yaml")).getMessage().contains("min_iter"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "early_terminate: {type: median, min_iter: 3}\n", "s.yaml")).getMessage().contains("hyperband"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "early_terminate: {min_iter: 3, eta: 1}\n", "s.yaml")).getMessage().contains("greater than 1"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base.replace("steps: 100", "tokens: 100000")
                + "early_terminate: {min_iter: 3}\n", "s.yaml")).getMessage().contains("steps"));
    }
}
