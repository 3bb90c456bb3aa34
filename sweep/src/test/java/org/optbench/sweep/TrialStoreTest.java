package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.StoreException;
import org.optbench.sweep.store.TrialOutcome;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.Trial;

/** Round trips through the store: SQLite always; PostgreSQL when OPTBENCH_TEST_POSTGRES names one (CI starts it). */
class TrialStoreTest {

    @TempDir
    Path dir;

    private static List<Trial> trials() {
        return List.of(new Trial(0, "adamw", Point.of("lr", "0.001"), 0), new Trial(1, "lion", Point.of("lr", "1e-4"), 0));
    }

    private static void roundTrip(TrialStore store, String sweep) {
        assertTrue(store.createSweep(sweep, "s", "name: s"));
        store.ensureTrials(sweep, trials());
        store.ensureTrials(sweep, trials());
        List<TrialRecord> stored = store.trials(sweep);
        assertEquals(2, stored.size(), "adding the same trials twice adds nothing");
        assertEquals(TrialStatus.PENDING, stored.get(0).status());
        String id = stored.get(0).id();
        store.markRunning(id, "pid-1");
        store.finish(id, new TrialOutcome(TrialStatus.COMPLETED, 3.25, null, 1024L, "{\"status\":\"completed\"}", null,
                List.of(new MetricRow(1, "train", 512L, 5.0, 1e-3, 0.5), new MetricRow(1, "eval", null, 4.0, null, null))));
        TrialRecord done = store.trials(sweep).get(0);
        assertEquals(TrialStatus.COMPLETED, done.status());
        assertEquals(3.25, done.finalValLoss());
        assertNull(done.divergedAt());
        assertEquals(1, done.attempts());
        assertEquals(1024L, done.stateBytes());
        assertEquals(4.0, store.metrics(id, "eval").get(0).loss());
        store.markRunning(stored.get(1).id(), "pid-2");
        assertEquals(1, store.requeueInterrupted(sweep));
        assertEquals(TrialStatus.PENDING, store.trials(sweep).get(1).status());
        StoreException changed = assertThrows(StoreException.class, () -> store.ensureTrials(sweep,
                List.of(new Trial(0, "sgd", Point.of("lr", "1"), 0))));
        assertTrue(changed.getMessage().contains("new name"), changed.getMessage());
        assertTrue(store.sweepIds().contains(sweep));

        String running = stored.get(1).id();
        store.markRunning(running, null, "token-1");
        store.setExecutorId(running, "pid-3");
        assertTrue(store.isWorkerToken(running, "token-1"));
        assertFalse(store.isWorkerToken(running, "token-2"));
        assertFalse(store.workerTokenHash(running).contains("token-1"), "only a hash is stored");
        List<MetricRow> report = List.of(new MetricRow(1, "train", 64L, 7.0, 1e-4, 1.0), new MetricRow(2, "train", 128L, 6.5,
                1e-4, 0.9), new MetricRow(2, "eval", null, 6.4, null, null));
        assertEquals(3, store.recordProgress(running, report));
        assertEquals(0, store.recordProgress(running, report), "a repeated report adds nothing");
        assertEquals(2, store.metrics(running, "train").size());
        TrialRecord live = store.trial(running).orElseThrow();
        assertEquals(2, live.lastStep());
        assertEquals(6.5, live.lastLoss());
        assertEquals("pid-3", live.executorId());
        assertTrue(store.createSweep(sweep + "-b", "b", "x", "alice"));
        assertEquals("alice", store.sweep(sweep + "-b").orElseThrow().owner());
        assertEquals("local", store.sweep(sweep).orElseThrow().owner());
        String b = sweep + "-b";
        assertTrue(store.claimDriving(b, "host/1:10:a", null, 1_000, 21_000), "an unclaimed sweep is claimed");
        assertEquals(21_000L, store.sweep(b).orElseThrow().drivenUntil());
        assertTrue(store.sweep(b).orElseThrow().driven(20_999) && !store.sweep(b).orElseThrow().driven(21_000));
        assertFalse(store.claimDriving(b, "host/1:11:b", null, 2_000, 22_000), "a claim that holds keeps others out");
        assertTrue(store.claimDriving(b, "host/1:10:a", null, 2_000, 22_000), "the driver renews its own");
        assertTrue(store.claimDriving(b, "host/1:11:b", "host/1:10:a", 3_000, 23_000), "a stopped driver's is taken over");
        assertEquals(List.of(b), store.renewDriving(List.of(b), "host/1:10:a", 30_000), "the old driver learns it lost it");
        assertEquals(List.of(), store.renewDriving(List.of(b), "host/1:11:b", 30_000));
        assertTrue(store.claimDriving(b, "host/1:12:c", null, 30_000, 50_000), "a lapsed claim is free");
        store.releaseDriving(b, "host/1:11:b");
        assertEquals("host/1:12:c", store.sweep(b).orElseThrow().driver(), "only the holder releases");
        store.releaseDriving(b, "host/1:12:c");
        assertNull(store.sweep(b).orElseThrow().driver());
        store.setStatus(running, TrialStatus.CANCELLED, "by test");
        assertEquals(1, store.requeueCancelled(sweep));
        assertEquals(0, store.cancelPending(sweep + "-b"));
        store.deleteSweep(sweep);
        assertTrue(store.sweep(sweep).isEmpty());
        assertTrue(store.trials(sweep).isEmpty());
        assertTrue(store.metrics(running, "train").isEmpty(), "deleting a sweep deletes its metrics");
    }

    @Test
    void sqliteRoundTripSurvivesReopening() {
        Path db = dir.resolve("runs/optbench.db");
        try (TrialStore store = TrialStore.sqlite(db)) {
            roundTrip(store, "sweep-a");
        }
        try (TrialStore again = TrialStore.sqlite(db)) {
            assertEquals("alice", again.sweep("sweep-a-b").orElseThrow().owner(), "what was written survives reopening");
        }
        try {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(db.getParent())), "the runs directory is the owner's");
            for (String name : List.of("optbench.db", "optbench.db-wal", "optbench.db-shm")) {
                Path f = db.resolveSibling(name);
                if (java.nio.file.Files.exists(f)) {
                    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                            java.nio.file.Files.getPosixFilePermissions(f)), name + " is the owner's");
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void processesOpeningANewSqliteStoreAtOnceBothSucceed() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path db = dir.resolve("race-" + round + "/optbench.db");
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            List<java.util.concurrent.Future<Boolean>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                opened.add(pool.submit(() -> {
                    go.await();
                    try (TrialStore store = TrialStore.sqlite(db)) {
                        return store.sweeps().isEmpty();
                    }
                }));
            }
            go.countDown();
            for (var f : opened) {
                assertTrue(f.get(60, java.util.concurrent.TimeUnit.SECONDS), "round " + round);
            }
            pool.shutdown();
        }
    }

    @Test
    void postgresRoundTrip() {
        String url = System.getenv("OPTBENCH_TEST_POSTGRES");
        org.junit.jupiter.api.Assumptions.assumeTrue(url != null && !url.isBlank(),
                "OPTBENCH_TEST_POSTGRES is not set (CI starts a PostgreSQL server and sets it)");
        try (TrialStore store = TrialStore.open(url, System.getenv("OPTBENCH_TEST_POSTGRES_USER"),
                System.getenv("OPTBENCH_TEST_POSTGRES_PASSWORD"))) {
            roundTrip(store, "pg-" + System.nanoTime());
        }
    }
}
