package org.optbench.sweep.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner waiting on the local executor wakes when a worker answers its trial or ends, rather
 * than at the end of its wait, so the next trial starts at once.
 */
class LocalExecutorWakeUpTest {

    private static final Duration LONG_WAIT = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    @Test
    void aTrialThatEndsWakesTheWait() throws Exception {
        List<String> worker = List.of("sh", "-c", "while read d; do sleep 1; echo '" + LocalExecutor.DONE + " 0'; done",
                "worker");
        try (LocalExecutor executor = new LocalExecutor(worker)) {
            String id = executor.submit("t1", Files.createDirectories(dir.resolve("t1")));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> executor.awaitChange(LONG_WAIT.toMillis()),
                    "the wait ends when the worker answers, not after ten minutes");
            Outcome outcome = executor.poll(id);
            assertNotNull(outcome, "the trial has ended when the wait returns");
            assertEquals(Outcome.exited(0), outcome);
        }
    }

    @Test
    void aWorkerThatDiesWakesTheWait() throws Exception {
        List<String> worker = List.of("sh", "-c", "read d; sleep 1; exit 3", "worker");
        try (LocalExecutor executor = new LocalExecutor(worker)) {
            String id = executor.submit("t1", Files.createDirectories(dir.resolve("t1")));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> executor.awaitChange(LONG_WAIT.toMillis()),
                    "the wait ends when the worker ends");
            assertEquals(Outcome.exited(3), executor.poll(id));
        }
    }
}
