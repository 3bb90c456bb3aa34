package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study claims its sweep in the store while it runs: {@code sweep list} in another process
 * shows it running with its running trial (not paused), the same study started a second time is
 * refused with exit code 2 naming the process that runs it, and after that process is killed
 * with SIGKILL the claim it left does not stand in the way: the study resumes at once.
 */
class StudyClaimTest {

    @TempDir
    Path dir;

    @Test
    void aRunningStudyIsShownRunningEverywhereAndIsNotRunTwice() throws Exception {
        Path spec = CliProcess.tinySpec(dir, "claimed", 500, 1, "adamw: {lr: {values: [1.0e-3, 3.16e-3, 1.0e-2]}}");
        Path runs = dir.resolve("runs");
        Process study = CliProcess.startStudy(dir, spec, runs);
        try {
            boolean running = false;
            long deadline = System.currentTimeMillis() + 120_000;
            while (!running && System.currentTimeMillis() < deadline && study.isAlive()) {
                Thread.sleep(300);
                running = CliProcess.oneRunsPastStep10(CliProcess.trialsOf(dir, runs, "claimed"));
            }
            assertTrue(running, "no trial ran: " + Files.readString(dir.resolve("err.txt")));

            CliProcess list = CliProcess.run(dir, Map.of(), 120, "sweep", "list", "--runs-dir", runs.toString());
            assertTrue(list.out().lines().anyMatch(l -> l.matches("claimed\\s+running\\s+\\d/3\\s+1\\s.*")), list.out());
            CliProcess twice = CliProcess.run(dir, Map.of(), 120, "study", spec.toString(), "--runs-dir", runs.toString());
            assertEquals(Main.EXIT_BAD_INPUT, twice.code(), twice.out() + twice.err());
            assertTrue(twice.err().contains("sweep 'claimed' is being run by another optbench process " + study.pid()),
                    twice.err());
        } finally {
            study.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        CliProcess resumed = CliProcess.run(dir, Map.of(), 300, "study", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("trials 3/3 done"), resumed.out());
    }
}
