package org.optbench.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Points;

/**
 * The report's one-line result names a single most stable optimizer only when its interval of
 * width separates from the others; overlapping intervals are said to be indistinguishable.
 */
class HeadlineTest {

    private static final String[] LRS = {"0.0001", "0.000316", "0.001", "0.00316", "0.01", "0.0316", "0.1"};

    private static void curve(List<TrialRecord> into, String optimizer, double[] losses, double spread) {
        for (int i = 0; i < LRS.length; i++) {
            for (int s = 0; s < 5; s++) {
                int n = into.size();
                double loss = losses[i] + spread * (s - 2) * (i % 2 == 0 ? 1 : -1);
                into.add(new TrialRecord("t" + n, "s", n, "k" + n, optimizer, Points.of(Map.of("lr", LRS[i])), s,
                        TrialStatus.COMPLETED, null, 1, null, null, null, loss, null, 800L, null, null, null));
            }
        }
    }

    @Test
    void overlappingWidthsAreIndistinguishableAndSeparatedOnesNameTheWinner() {
        double[] wide = {3.30, 3.10, 3.02, 3.00, 3.02, 3.10, 3.30};
        double[] alsoWide = {3.31, 3.11, 3.021, 3.00, 3.022, 3.10, 3.31};
        double[] narrow = {4.5, 4.0, 3.5, 3.00, 3.5, 4.0, 4.5};
        List<TrialRecord> overlapping = new ArrayList<>();
        curve(overlapping, "adamw", wide, 0.004);
        curve(overlapping, "adafactor", alsoWide, 0.004);
        curve(overlapping, "sgd", narrow, 0.004);
        String tied = Headline.of(Findings.of(overlapping, AnalysisSpec.defaults()));
        assertTrue(tied.contains("adamw and adafactor are indistinguishable in stability")
                || tied.contains("adafactor and adamw are indistinguishable in stability"), tied);
        assertTrue(!tied.contains("Most stable"), tied);
        List<TrialRecord> separated = new ArrayList<>();
        curve(separated, "adamw", wide, 0.004);
        curve(separated, "sgd", narrow, 0.004);
        String one = Headline.of(Findings.of(separated, AnalysisSpec.defaults()));
        assertTrue(one.contains("Most stable: adamw"), one);
    }

    /**
     * The terminal's table ends with the same one-line result, and a width whose region reaches
     * the grid's end with no width at all (the best on an edge, its neighbour far worse) is
     * undefined: "-", not ">=0.00".
     */
    @Test
    void theTerminalTableEndsWithTheResultAndPrintsAnUndefinedWidthAsADash() {
        List<TrialRecord> trials = new ArrayList<>();
        curve(trials, "adamw", new double[] {3.30, 3.10, 3.02, 3.00, 3.02, 3.10, 3.30}, 0.004);
        curve(trials, "sgd", new double[] {3.2, 8.0, 8.2, 8.4, 8.6, 8.8, 8.9}, 0.004);
        Findings f = Findings.of(trials, AnalysisSpec.defaults());
        String text = FindingsText.of(f);
        List<String> lines = text.lines().toList();
        assertEquals(Headline.of(f), lines.get(lines.size() - 1), text);
        String sgd = lines.stream().filter(l -> l.startsWith("sgd ")).findFirst().orElseThrow();
        assertTrue(sgd.contains(" - ") && !sgd.contains(">=0.00"), sgd);
    }
}
