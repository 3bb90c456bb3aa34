package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.optbench.train.StepRecord;

/** The training progress line: no ETA from the warm-up step alone, then one measured after it. */
class ProgressTest {

    @Test
    void theEtaWaitsForASecondStepAndLeavesTheWarmUpOut() throws Exception {
        StringWriter text = new StringWriter();
        Progress progress = new Progress(new PrintWriter(text, true), 1000, 1, true);
        Thread.sleep(2500);
        progress.step(new StepRecord(1, 1024, 9.0, 1e-3, 1.0, 2500));
        assertTrue(text.toString().contains("ETA --:--"), text.toString());
        Thread.sleep(150);
        progress.step(new StepRecord(2, 2048, 8.9, 1e-3, 1.0, 10));
        String second = text.toString().substring(text.toString().lastIndexOf('\r'));
        assertTrue(second.matches("(?s)\\rstep 2/1000 .* ETA \\d\\d:\\d\\d .*"), second);
        String eta = second.replaceAll("(?s).*ETA (\\d\\d):(\\d\\d).*", "$1 $2");
        int seconds = Integer.parseInt(eta.split(" ")[0]) * 60 + Integer.parseInt(eta.split(" ")[1]);
        assertTrue(seconds >= 100 && seconds < 800, "998 steps at the second step's pace (~0.15 s: 150 s), not with "
                + "the first's warm-up (2.65 s over 2 steps: 1,322 s): " + second);
    }
}
