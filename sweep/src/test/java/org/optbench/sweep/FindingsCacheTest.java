package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Points;

/** The findings of a sweep are computed once per version of its spec and trials. */
class FindingsCacheTest {

    private static final String SPEC = """
            name: s
            data: synthetic
            steps: 5
            parameters:
              optimizer:
                adamw: {lr: {values: [0.001, 0.01]}}
            """;

    private static TrialRecord trial(int i, TrialStatus status, Double loss) {
        return new TrialRecord("s-" + i, "s", i, "k" + i, "adamw", Points.of(Map.of("lr", i == 0 ? "0.001" : "0.01")), 0,
                status, null, 1, null, null, null, loss, null, 800L, null, null, null);
    }

    @Test
    void theAnalysisRunsAgainOnlyWhenATrialOrTheSpecChanged() {
        FindingsCache cache = new FindingsCache();
        List<TrialRecord> trials = new ArrayList<>(List.of(trial(0, TrialStatus.COMPLETED, 4.0),
                trial(1, TrialStatus.RUNNING, null)));
        Findings first = cache.get("s", SPEC, trials);
        assertSame(first, cache.get("s", SPEC, List.copyOf(trials)), "nothing changed: the same findings");
        trials.set(1, trial(1, TrialStatus.COMPLETED, 3.9));
        Findings second = cache.get("s", SPEC, trials);
        assertNotSame(first, second, "a trial finished");
        assertSame(second, cache.get("s", SPEC, trials));
        assertNotSame(second, cache.get("s", SPEC + "analysis: {min_seeds: 2}\n", trials), "the spec changed");
        cache.forget("s");
        assertNotSame(second, cache.get("s", SPEC, trials), "a deleted sweep is forgotten");
    }
}
