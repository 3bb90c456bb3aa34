package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/**
 * Ctrl-C on {@code optbench study}: SIGINT to the real process and its workers, as a terminal
 * sends it to the whole process group, while one trial has finished and another is running. It exits 130 (128 + the signal) saying how many trials were kept and how to resume, prints no
 * error, leaves no worker running, {@code sweep list} then shows the sweep paused with nothing
 * running, and running the same command again finishes it.
 */
class StudyInterruptTest {

    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    @TempDir
    Path dir;

    @Test
    void ctrlCKeepsTheTrialsStopsTheWorkersAndSaysHowToResume() throws Exception {
        Path spec = CliProcess.tinySpec(dir, "interrupt", 300, 1, "adamw: {lr: {values: [1.0e-3, 3.16e-3, 1.0e-2]}}");
        Path runs = dir.resolve("runs");
        Path db = runs.resolve("optbench.db");
        Process study = CliProcess.startStudy(dir, spec, runs);
        long finishedAtSignal = -1;
        int signal = 0;
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline && study.isAlive()) {
            Thread.sleep(300);
            List<TrialRecord> trials = CliProcess.trialsOf(dir, runs, "interrupt");
            long finished = trials.stream().filter(t -> t.status().isFinished()).count();
            if (finished >= 1 && CliProcess.oneRunsPastStep10(trials)) {
                signal = interrupt(study);
                finishedAtSignal = finished;
                break;
            }
        }
        assertTrue(finishedAtSignal >= 1, "the study never had a trial finished and one running: "
                + Files.readString(dir.resolve("out.txt")));
        assertTrue(study.waitFor(60, TimeUnit.SECONDS), "the interrupted study did not exit");
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(128 + signal, study.exitValue(), err);
        java.util.regex.Matcher said = java.util.regex.Pattern
                .compile("interrupted: (\\d+) trials kept; run the same command again to resume").matcher(err);
        assertTrue(said.find(), err);
        long kept = Long.parseLong(said.group(1));
        assertTrue(kept >= finishedAtSignal && kept < 3, kept + " kept, " + finishedAtSignal + " finished at the signal");
        assertFalse(err.contains("error"), err);
        try (var trialDirs = Files.list(runs.resolve("interrupt"))) {
            for (Path trial : trialDirs.filter(Files::isDirectory).toList()) {
                Path pid = trial.resolve("pid");
                if (Files.exists(pid)) {
                    long worker = Long.parseLong(Files.readString(pid).trim().split("\\s+")[0]);
                    assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false),
                            "the worker of " + trial.getFileName() + " still runs");
                }
            }
        }
        try (TrialStore store = TrialStore.sqlite(db)) {
            for (TrialRecord t : store.trials("interrupt")) {
                assertTrue(t.status() != TrialStatus.FAILED, "Ctrl-C failed no trial: " + t);
            }
        }
        CliProcess list = CliProcess.run(dir, Map.of(), 120, "sweep", "list", "--runs-dir", runs.toString());
        String paused = "interrupt\\s+paused\\s+" + kept + "/3\\s+0\\s.*";
        assertTrue(list.out().lines().anyMatch(l -> l.matches(paused)), list.out());
        CliProcess again = CliProcess.run(dir, Map.of(), 300, "study", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("trials 3/3 done"), again.out());
    }

    /**
     * Sends SIGINT, as Ctrl-C does, unless the child inherited an ignored SIGINT (a test run
     * started in the background of a non-interactive shell); then SIGTERM, which takes the same
     * shutdown path.
     */
    private static int interrupt(Process p) throws Exception {
        int signal = SIGINT;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
            if (line.startsWith("SigIgn:") && new BigInteger(line.substring(7).trim(), 16).testBit(SIGINT - 1)) {
                signal = SIGTERM;
            }
        }
        System.out.println("interrupting the study with kill -" + signal);
        List<String> command = new java.util.ArrayList<>(List.of("kill", "-" + signal, Long.toString(p.pid())));
        if (signal == SIGINT) {
            // A terminal sends Ctrl-C's SIGINT to the whole foreground process group: the workers too.
            p.descendants().forEach(worker -> command.add(Long.toString(worker.pid())));
        }
        Process kill = new ProcessBuilder(command).inheritIO().start();
        kill.waitFor();
        return signal;
    }
}
