package org.optbench.sweep.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A takeover does not wait for a frozen runner: the worker a frozen runner left in a trial's
 * directory is killed, and the new runner goes on once it no longer runs, though the frozen
 * runner (its parent) has not reaped it.
 */
class LocalExecutorTakeoverTest {

    @TempDir
    Path dir;

    @Test
    void theWorkerOfAFrozenRunnerIsStoppedWithoutWaitingForTheRunner() throws Exception {
        Process runner = new ProcessBuilder("sh", "-c", "sleep 600 & echo $!; wait").start();
        long worker;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(runner.getInputStream()))) {
            worker = Long.parseLong(out.readLine().trim());
            ProcessHandle w = ProcessHandle.of(worker).orElseThrow();
            Files.writeString(dir.resolve("pid"), worker + " " + w.info().startInstant().orElseThrow().toEpochMilli() + "\n");
            new ProcessBuilder("kill", "-STOP", Long.toString(runner.pid())).start().waitFor();
            try (LocalExecutor executor = new LocalExecutor(List.of("true"))) {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> executor.stopOrphan(null, dir),
                        "the takeover waits for nothing the frozen runner holds");
            }
            assertTrue(!w.isAlive() || LocalExecutor.zombie(worker), "the frozen runner's worker no longer runs");
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(runner.pid())).start().waitFor();
            runner.destroyForcibly().waitFor();
        }
        assertFalse(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false), "reaped once the runner went on");
    }
}
