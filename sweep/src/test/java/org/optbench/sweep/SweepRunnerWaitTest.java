package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.exec.Outcome;
import org.optbench.sweep.store.TrialStore;

/**
 * The runner waits on its executor only while nothing has happened: a pass that sees a trial end
 * goes on to start the next one without waiting, and a pass that sees nothing end waits (so the
 * runner does not spin).
 */
class SweepRunnerWaitTest {

    private static final String SPEC = """
            name: waits
            model: {preset: nano}
            data: synthetic
            steps: 2
            parallel: 1
            parameters:
              optimizer:
                adamw: {lr: {values: [1.0e-3, 2.0e-3, 4.0e-3]}}
            """;

    @TempDir
    Path dir;

    @Test
    void aTrialThatEndsIsFollowedByTheNextWithoutAWait() throws Exception {
        SweepSpec spec = SweepSpecParser.parse(SPEC, "waits.yaml");
        Recorder executor = new Recorder();
        try (TrialStore store = TrialStore.sqlite(dir.resolve("optbench.db"))) {
            SweepRunner runner = new SweepRunner(store, executor, dir.resolve("runs"), TrialPlacement.local(1));
            runner.prepare("waits", spec, SweepExpander.expand(spec), "local", false);
            assertTrue(runner.run(spec, trials -> { }, () -> false), "the sweep completes");
        }
        List<String> expected = new ArrayList<>();
        for (int trial = 1; trial <= 3; trial++) {
            expected.addAll(List.of("submit", "running", "wait 200", "ended"));
            if (trial < 3) {
                expected.add("wait 0");
            }
        }
        assertEquals(expected, executor.events);
    }

    /** Runs nothing: each trial is still running at its first poll and has ended (failed) at its second. */
    private static final class Recorder extends IdleExecutor {
        final List<String> events = new ArrayList<>();
        private int polls;

        @Override
        public String submit(String trialId, Path trialDir) {
            events.add("submit");
            polls = 0;
            return trialId;
        }

        @Override
        public Outcome poll(String executorId) {
            boolean ended = ++polls > 1;
            events.add(ended ? "ended" : "running");
            return ended ? Outcome.exited(1) : null;
        }

        @Override
        public void awaitChange(long millis) {
            events.add("wait " + millis);
        }
    }
}
