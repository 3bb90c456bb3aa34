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
 * running, a server started on the same store leaves it paused (and says so) unless started with
 * {@code --resume-paused}, and running the same command again finishes it.
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
        String started = serveAndStop(runs, kept, false);
        assertTrue(started.contains("resumed at start: no sweep"), started);
        assertTrue(started.matches("(?s).*left paused: interrupt \\([^)]+\\) \\(interrupted by their users; resume one with "
                + "'optbench sweep resume NAME', or start the server with --resume-paused\\).*"), started);
        started = serveAndStop(runs, kept, true);
        assertTrue(started.matches("(?s).*resumed at start: interrupt \\([^)]+\\) \\(sweeps left running when a server or "
                + "study stopped, and with --resume-paused those their users interrupted\\).*"), started);
        CliProcess again = CliProcess.run(dir, Map.of(), 300, "study", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("trials 3/3 done"), again.out());
    }

    /**
     * Starts {@code optbench server} on the interrupted study's store and stops it (SIGTERM) once it
     * has shown what it does with the paused sweep: without {@code --resume-paused} no trial starts
     * an attempt for 3 s and the finished count stays {@code kept}; with it a trial starts one. Returns
     * its start-up lines.
     */
    private String serveAndStop(Path runs, long kept, boolean resumePaused) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.txt"), "alice 0123456789abcdef0123456789abcdef\n");
        Path out = dir.resolve("server-out.txt");
        List<String> command = new java.util.ArrayList<>(CliProcess.command("server", "--port", "0", "--tokens",
                tokens.toString(), "--no-default-corpus", "--runs-dir", runs.toString()));
        if (resumePaused) {
            command.add("--resume-paused");
        }
        Process server = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(dir.resolve("server-err.txt").toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && server.isAlive()
                    && !Files.readString(out).contains("resumed at start:")) {
                Thread.sleep(100);
            }
            int attemptsBefore;
            try (TrialStore store = TrialStore.sqlite(runs.resolve("optbench.db"))) {
                attemptsBefore = store.trials("interrupt").stream().mapToInt(TrialRecord::attempts).sum();
            }
            boolean ran = false;
            long until = System.currentTimeMillis() + (resumePaused ? 60_000 : 3_000);
            while (System.currentTimeMillis() < until && !ran) {
                Thread.sleep(200);
                try (TrialStore store = TrialStore.sqlite(runs.resolve("optbench.db"))) {
                    List<TrialRecord> trials = store.trials("interrupt");
                    ran = trials.stream().mapToInt(TrialRecord::attempts).sum() > attemptsBefore
                            || trials.stream().filter(t -> t.status().isFinished()).count() > kept;
                } catch (org.optbench.sweep.store.StoreException busy) {
                    // the server is writing; look again
                }
            }
            assertEquals(resumePaused, ran, (resumePaused ? "--resume-paused resumes" : "a plain server leaves paused")
                    + " the interrupted sweep: " + Files.readString(out) + Files.readString(dir.resolve("server-err.txt")));
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
        return Files.readString(out);
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
