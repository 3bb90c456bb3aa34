package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.exec.Outcome;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.Trial;

/**
 * A store written by the previous version, which kept each trial's point as a map of strings
 * ({@code src/test/resources/old-store}: a grid sweep whose adamw trials finished, whose
 * extend_edges had added two trials and one of whose trials was left running by a dead runner, and
 * a random search), resumes under the typed points: every stored trial matches the expansion, the
 * trials the old runner added are recognised, and each stored point builds the run the old version
 * built for it ({@code runs.tsv}, written by that version), setting for setting.
 */
class OldStoreResumeTest {

    private static final Path OLD = Path.of("src", "test", "resources", "old-store");

    @TempDir
    Path dir;

    @Test
    void aSweepStoredByThePreviousVersionResumes() throws Exception {
        Files.createDirectories(dir.resolve("runs"));
        Files.copy(OLD.resolve("optbench.db"), dir.resolve("runs/optbench.db"));
        Map<String, String> oldRuns = new HashMap<>();
        for (String line : Files.readAllLines(OLD.resolve("runs.tsv"))) {
            String[] parts = line.split("\t", 2);
            oldRuns.put(parts[0], parts[1]);
        }
        try (TrialStore store = TrialStore.sqlite(dir.resolve("runs/optbench.db"))) {
            SweepSpec grid = SweepSpecParser.parse(Files.readString(OLD.resolve("old-grid.yaml")), "old-grid.yaml");
            SweepSpec random = SweepSpecParser.parse(Files.readString(OLD.resolve("old-random.yaml")), "old-random.yaml");
            List<TrialRecord> before = store.trials("old-grid");
            assertEquals(22, before.size());
            assertEquals(8, store.trials("old-random").size());

            SweepRunner runner = new SweepRunner(store, new NothingRuns(), dir.resolve("runs"), TrialPlacement.local(1));
            runner.prepare("old-grid", grid, SweepExpander.expand(grid), "local", false);
            new SweepRunner(store, new NothingRuns(), dir.resolve("runs"), TrialPlacement.local(1))
                    .prepare("old-random", random, SweepExpander.expand(random), "local", false);

            List<TrialRecord> after = store.trials("old-grid");
            assertEquals(22, after.size(), "the expansion matched every stored trial and added none");
            assertEquals(8, store.trials("old-random").size());
            assertEquals(12, after.stream().filter(t -> t.status() == TrialStatus.COMPLETED).count(), "nothing recorded is lost");
            assertEquals(TrialStatus.PENDING, after.get(19).status(), "the trial a dead runner left running runs again");
            List<Trial> expansion = SweepExpander.expand(grid);
            for (int i = 0; i < expansion.size(); i++) {
                assertEquals(expansion.get(i), after.get(i).trial(), "trial " + i);
                assertEquals(expansion.get(i).key(), after.get(i).key(), "the key the old version stored");
            }
            assertEquals(Point.of("lr", "3.16E-4").get("lr"), after.get(16).point().get("lr"));
            // the trials extend_edges added are known as such; the one arm the old version extended with its
            // optimizer's best batch (adamw at batch 8, best on its high edge) is now extended on its own
            assertEquals(List.of("adamw {batch=8, beta1=0.9, lr=0.0316, qk_norm=true, warmup=0.1} seed=0",
                    "adamw {batch=8, beta1=0.9, lr=0.0316, qk_norm=true, warmup=0.1} seed=1"),
                    AdaptiveTrials.next(grid, after).stream().map(Trial::key).toList());

            for (String sweep : List.of("old-grid", "old-random")) {
                SweepSpec spec = sweep.equals("old-grid") ? grid : random;
                for (TrialRecord t : store.trials(sweep)) {
                    assertEquals(oldRuns.get(t.id()), spec.run(t.trial()).toJson().replace("\n", ""),
                            t.id() + ": the stored point builds the run the old version built");
                    assertEquals(t.point(), Point.parse(t.point().storeText()));
                }
            }
        }
    }

    /** An executor that is never asked to run anything: preparing a sweep only stops its orphans. */
    private static final class NothingRuns extends IdleExecutor {
        @Override
        public String submit(String trialId, Path trialDir) {
            throw new AssertionError("preparing a sweep runs nothing");
        }

        @Override
        public Outcome poll(String executorId) {
            return null;
        }
    }
}
