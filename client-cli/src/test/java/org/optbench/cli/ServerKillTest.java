package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.SweepExpander;
import org.optbench.sweep.SweepRunner;
import org.optbench.sweep.SweepSpec;
import org.optbench.sweep.SweepSpecParser;
import org.optbench.sweep.TrialPlacement;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.SweepStatus;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import org.optbench.sweep.trial.Trial;
import org.optbench.train.RunSummary;
import org.optbench.train.data.LocalDataCatalog;
import org.optbench.train.run.RunContext;

/**
 * A server killed with SIGKILL in the middle of a sweep and started again loses nothing: every
 * training step of every trial is in the store exactly once (rows the workers logged while it was
 * down included), and every final loss equals that of an uninterrupted run of the same trial.
 */
class ServerKillTest {

    private static final String TOKEN = "0123456789abcdef0123456789";
    private static final int STEPS = 60;

    @TempDir
    Path dir;

    private static final String SPEC = """
            name: kill9
            model: {preset: nano, d_model: 32}
            data: synthetic
            steps: 60
            parallel: 2
            train: {eval_tokens: 2048, eval_points: 2}
            parameters:
              optimizer:
                adamw: {lr: {values: [1.0e-3, 1.0e-2]}}
                lion: {lr: {values: [1.0e-4]}}
            """;

    private Process server(int port) throws Exception {
        Path out = Files.createTempFile(dir, "server", ".log");
        Process p = new ProcessBuilder(CliProcess.command("server", "--port", Integer.toString(port), "--tokens", dir.resolve("tokens.txt").toString(), "--no-default-corpus",
                "--runs-dir", dir.resolve("runs").toString(), "--threads-per-trial", "1"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(out).contains("listening on")) {
            assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, "the server did not start: " + Files.readString(out));
            Thread.sleep(100);
        }
        return p;
    }

    private List<TrialRecord> await(Predicate<List<TrialRecord>> what, String description) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(dir.resolve("runs/optbench.db"))) {
                try (TrialStore store = TrialStore.sqlite(dir.resolve("runs/optbench.db"))) {
                    List<TrialRecord> trials = store.trials("kill9");
                    if (!trials.isEmpty() && what.test(trials)) {
                        return trials;
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting until " + description);
    }

    /** Waits until a trial's worker has checkpointed beyond the steps the store had when the server died. */
    private void awaitCheckpointPast(List<TrialRecord> atKill) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (TrialRecord t : atKill) {
                Path state = dir.resolve("runs/kill9").resolve(t.id()).resolve("checkpoint/state.json");
                if (t.lastStep() != null && Files.isRegularFile(state)
                        && new com.fasterxml.jackson.databind.ObjectMapper().readTree(state.toFile()).path("step").asInt()
                        > t.lastStep()) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no worker checkpointed while the server was down");
    }

    private SweepStatus sweepStatus() {
        try (TrialStore store = TrialStore.sqlite(dir.resolve("runs/optbench.db"))) {
            return store.sweep("kill9").orElseThrow().status();
        }
    }

    @Test
    void aKilledServerLosesNoStepAndChangesNoResult() throws Exception {
        Files.writeString(dir.resolve("tokens.txt"), "alice " + TOKEN + "\n");
        Path spec = dir.resolve("kill9.yaml");
        Files.writeString(spec, SPEC);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process first = server(port);
        CliProcess submit = CliProcess.run(dir, Map.of(), 60, "sweep", "submit", spec.toString(), "--server",
                "127.0.0.1:" + port, "--token", TOKEN);
        assertEquals(0, submit.code(), submit.err());
        List<TrialRecord> atKill = await(trials -> trials.stream().anyMatch(t -> t.status() == TrialStatus.RUNNING
                && t.lastStep() != null && t.lastStep() >= 5), "a trial has reported 5 steps");
        first.destroyForcibly().waitFor();
        awaitCheckpointPast(atKill);   // workers go on training while no server listens, past a checkpoint
        Process second = server(port);
        try {
            List<TrialRecord> done = await(trials -> trials.stream().allMatch(t -> t.status().isFinished()),
                    "every trial finished");
            for (int i = 0; i < 100 && sweepStatus() != SweepStatus.COMPLETED; i++) {
                Thread.sleep(100);
            }
            assertEquals(SweepStatus.COMPLETED, sweepStatus());
            try (TrialStore store = TrialStore.sqlite(dir.resolve("runs/optbench.db"))) {
                SweepSpec parsed = SweepSpecParser.parse(SPEC, "kill9.yaml");
                List<Trial> expected = SweepExpander.expand(parsed);
                for (TrialRecord t : done) {
                    assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
                    List<Integer> steps = store.metrics(t.id(), "train").stream().map(MetricRow::step).sorted().toList();
                    assertEquals(java.util.stream.IntStream.rangeClosed(1, STEPS).boxed().toList(), steps,
                            t.id() + ": every step once");
                    Trial point = expected.get(t.index());
                    Path alone = dir.resolve("alone-" + t.index());
                    RunSummary uninterrupted = TrainCommand.train(SweepRunner.forTrial(parsed, parsed.run(point), TrialPlacement.local(1)).toBuilder()
                            .checkpointDir(alone).build(), RunContext.inThisJvm(LocalDataCatalog.standard()), new PrintWriter(new StringWriter()), r -> { });
                    assertNotNull(t.finalValLoss(), t.toString());
                    assertEquals(Double.doubleToLongBits(uninterrupted.finalValLoss()), Double.doubleToLongBits(t.finalValLoss()),
                            t.id() + ": " + uninterrupted.finalValLoss() + " vs " + t.finalValLoss());
                }
            }
        } finally {
            second.destroy();
            second.waitFor();
        }
    }
}
