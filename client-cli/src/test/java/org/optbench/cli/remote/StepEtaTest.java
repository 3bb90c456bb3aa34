package org.optbench.cli.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep ETA from step rates, with the clock given: hand-computed rates and steps left. */
class StepEtaTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void noEstimateUntilStepsAndATotalArrive() {
        StepEta eta = new StepEta();
        eta.seen("a", 0);
        assertTrue(Double.isNaN(eta.secondsLeft(List.of("a"), 5 * SECOND)));
        eta.stepped("a", 10, 200, SECOND);
        assertTrue(Double.isNaN(eta.secondsLeft(List.of("a"), 5 * SECOND)), "the first report only starts the clock");
        eta.stepped("a", 20, 0, 2 * SECOND);
        assertEquals(180 / (10 / 4.0), eta.secondsLeft(List.of("a"), 5 * SECOND), 1e-9, "10 steps in the 4 s since");
    }

    @Test
    void stepsTakenWhileWatchingOverTheTimeSinceGiveTheRate() {
        StepEta eta = new StepEta();
        eta.seen("a", 0);
        eta.seen("b", 0);
        eta.seen("c", 100);                   // resumed at step 100: its first 100 steps were not taken while watching
        eta.stepped("a", 10, 200, 0);         // the first report starts the clock; its steps carry the start-up
        eta.stepped("a", 50, 200, SECOND);
        eta.stepped("c", 120, 200, 2 * SECOND);
        // 40 + 20 steps in the 10 s since the first report: 6 steps/s; left: a 150, c 80, b (no total yet) the mean 200.
        assertEquals((150 + 80 + 200) / 6.0, eta.secondsLeft(List.of("a", "b", "c"), 10 * SECOND), 1e-9);
        eta.stepped("a", 40, 200, 3 * SECOND);   // an older report adds nothing
        assertEquals((150 + 80) / 6.0, eta.secondsLeft(List.of("a", "c"), 10 * SECOND), 1e-9, "b finished");
    }
}
