package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/** A study whose runner process is really killed (SIGKILL) mid-sweep resumes without losing or repeating work. */
class StudyResumeTest {

    @TempDir
    Path dir;

    @Test
    void killingTheRunnerLosesNothingAndRunsNothingTwice() throws Exception {
        Path spec = dir.resolve("kill.yaml");
        Files.writeString(spec, """
                name: kill-test
                model: {preset: nano, d_model: 32}
                data: synthetic
                steps: 40
                parallel: 1
                train: {eval_tokens: 2048, eval_points: 2}
                parameters:
                  optimizer:
                    adamw: {lr: {values: [1.0e-3, 1.0e-2]}}
                    lion: {lr: {values: [1.0e-4, 1.0e-3]}}
                    sgd: {lr: {values: [0.1, 0.3]}}
                """);
        Path runs = dir.resolve("runs");
        Path db = runs.resolve("optbench.db");
        Process runner = new ProcessBuilder(CliProcess.command("study", spec.toString(), "--runs-dir", runs.toString(),
                "--threads-per-trial", "1"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("runner.log").toFile()).start();
        Map<TrialStatus, Long> atKill = null;
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && runner.isAlive()) {
            Thread.sleep(300);
            if (!Files.exists(db)) {
                continue;
            }
            try (TrialStore store = TrialStore.sqlite(db)) {
                List<TrialRecord> trials = store.trials("kill-test");
                Map<TrialStatus, Long> counts = trials.stream().collect(Collectors.groupingBy(TrialRecord::status,
                        Collectors.counting()));
                if (counts.getOrDefault(TrialStatus.COMPLETED, 0L) >= 2 && counts.getOrDefault(TrialStatus.RUNNING, 0L) == 1) {
                    runner.destroyForcibly().waitFor();
                    atKill = counts;
                    break;
                }
            } catch (org.optbench.sweep.store.StoreException busy) {
                // the runner is migrating or writing; look again
            }
        }
        assertTrue(atKill != null, "the runner never reached a state worth killing: "
                + Files.readString(dir.resolve("runner.log")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"study", spec.toString(), "--runs-dir", runs.toString(), "--threads-per-trial", "1"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString() + out);
        try (TrialStore store = TrialStore.sqlite(db)) {
            List<TrialRecord> trials = store.trials("kill-test");
            assertEquals(6, trials.size());
            long completedBefore = atKill.get(TrialStatus.COMPLETED);
            int twice = 0;
            for (TrialRecord t : trials) {
                assertTrue(t.status() == TrialStatus.COMPLETED || t.status() == TrialStatus.DIVERGED, t.toString());
                assertTrue(t.attempts() <= 2, t.toString());
                twice += t.attempts() == 2 ? 1 : 0;
                String log = Files.readString(runs.resolve("kill-test").resolve(t.id()).resolve("log.txt"));
                assertEquals(t.attempts(), log.lines().filter(l -> l.startsWith("== attempt started ")).count(),
                        "every attempt's log is kept: " + t.id());
                if (t.status() == TrialStatus.COMPLETED) {
                    assertEquals(40, store.metrics(t.id(), "train").size(), "every step once: " + t.id());
                }
            }
            assertEquals(1, twice, "only the trial that was running when the runner died ran again");
            assertTrue(completedBefore >= 2);
            assertTrue(out.toString().contains("report:"), out.toString());
        }
        StringWriter list = new StringWriter();
        assertEquals(0, Main.run(new String[] {"sweep", "list", "--runs-dir", runs.toString()}, new PrintWriter(list, true),
                new PrintWriter(err, true)));
        assertTrue(list.toString().contains("kill-test") && list.toString().contains("6/6"), list.toString());
        StringWriter again = new StringWriter();
        assertEquals(0, Main.run(new String[] {"sweep", "resume", "kill-test", "--runs-dir", runs.toString()},
                new PrintWriter(again, true), new PrintWriter(err, true)), err.toString());
        try (TrialStore store = TrialStore.sqlite(db)) {
            assertEquals(7, store.trials("kill-test").stream().mapToInt(TrialRecord::attempts).sum(),
                    "resuming a finished sweep runs nothing");
        }
    }
}
