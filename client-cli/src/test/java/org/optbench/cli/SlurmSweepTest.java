package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.cli.remote.BearerToken;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.SweepState;
import org.optbench.server.OptbenchServer;
import org.optbench.server.ServerLimits;
import org.optbench.server.auth.TokenFile;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.SlurmExecutorSpec;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/**
 * A sweep through a real Slurm cluster (CI starts a one-node one with scripts/slurm-local.sh):
 * trials run as sbatch jobs of real workers reporting over gRPC; one job is cancelled with
 * scancel from outside, one worker is killed mid-run and retried, and the server is restarted
 * mid-sweep and re-attaches the running job. Skipped when no Slurm controller answers.
 */
class SlurmSweepTest {

    private static final String TOKEN = "slurm-user-token-0123456789";

    @TempDir
    Path dir;

    private static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? out : null;
    }

    private static boolean slurmUp() {
        try {
            String ping = sh("scontrol", "ping");
            return ping != null && ping.contains("UP");
        } catch (Exception e) {
            return false;
        }
    }

    private OptbenchServer server(TrialStore store, int port, Path tokens) throws Exception {
        return OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", port, new SweepCoordinator.Setup(store,
                TrialExecutors.of(WorkerLaunch.program()), new ExecutorChoices(SlurmExecutorSpec.defaults(),
                        java.util.Map.of("short", new SlurmExecutorSpec(null, 0, 1, null, "00:10:00", null, null, java.util.List.of(), 2))), Datasets.none(), dir.resolve("runs"), 1), null, TokenFile.load(tokens), null, null, false, ServerLimits.defaults(), true));
    }

    private static TrialRecord await(TrialStore store, String trial, Predicate<TrialRecord> what, String description)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            TrialRecord t = store.trial(trial).orElseThrow();
            if (what.test(t)) {
                return t;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(trial + " never " + description + ": " + store.trial(trial).orElseThrow());
    }

    private static boolean runningAt(TrialRecord t, int step) {
        return t.status() == TrialStatus.RUNNING && t.lastStep() != null && t.lastStep() >= step;
    }

    @Test
    void aSweepRunsThroughSlurmAndSurvivesScancelKillsAndARestart() throws Exception {
        Assumptions.assumeTrue(slurmUp(), "no Slurm controller answers 'scontrol ping' (CI starts one with scripts/slurm-local.sh)");
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "dana " + TOKEN + "\n");
        Path runs = dir.resolve("runs");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String spec = """
                name: slurm-test
                model: {preset: nano, d_model: 32}
                data: synthetic
                steps: 400
                parallel: 2
                executor: {type: slurm, profile: short}
                train: {eval_tokens: 2048, eval_points: 2, log_every: 1000}
                parameters:
                  optimizer:
                    adamw: {lr: {values: [1.0e-3, 1.0e-2]}}
                    lion: {lr: {values: [1.0e-4]}}
                    sgd: {lr: {values: [0.1]}}
                """;
        try (TrialStore store = TrialStore.sqlite(runs.resolve("optbench.db"))) {
            OptbenchServer first = server(store, port, tokens);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                SweepServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken(TOKEN))
                        .createSweep(CreateSweepRequest.newBuilder().setYaml(spec).build());
                TrialRecord t0 = await(store, "slurm-test-0000", t -> runningAt(t, 1), "reported a step");
                assertTrue(t0.executorId().matches("slurm-\\d+"), t0.executorId());
                String job0 = t0.executorId().substring(6);
                String queued = sh("squeue", "-h", "-j", job0, "-o", "%j");
                assertEquals("optbench-slurm-test-0000", queued == null ? null : queued.trim(), "the job is named after its trial");
                sh("scancel", job0);
                TrialRecord cancelled = await(store, "slurm-test-0000", t -> t.status() == TrialStatus.CANCELLED, "was cancelled");
                assertTrue(cancelled.error().contains("scancel"), cancelled.error());

                await(store, "slurm-test-0001", t -> runningAt(t, 50), "passed step 50");
                Path dir1 = runs.resolve("slurm-test/slurm-test-0001").toAbsolutePath();
                assertTrue(sh("pkill", "-9", "-f", "worker " + dir1) != null, "found the worker to kill");
                await(store, "slurm-test-0001", t -> t.attempts() == 2 && t.status() == TrialStatus.RUNNING, "was retried");

                TrialRecord t2 = await(store, "slurm-test-0002", t -> runningAt(t, 20), "reported steps");
                first.shutdown(2_000);
                Thread.sleep(1_000);
                OptbenchServer second = server(store, port, tokens);
                try {
                    var stub = SweepServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken(TOKEN));
                    long deadline = System.currentTimeMillis() + 240_000;
                    while (stub.getSweep(GetSweepRequest.newBuilder().setSweepId("slurm-test").build()).getState()
                            != SweepState.SWEEP_STATE_COMPLETED && System.currentTimeMillis() < deadline) {
                        Thread.sleep(200);
                    }
                    TrialRecord after = store.trial("slurm-test-0002").orElseThrow();
                    assertEquals(TrialStatus.COMPLETED, after.status(), after.toString());
                    assertEquals(t2.executorId(), after.executorId(), "the restarted server re-attached the running job");
                    assertEquals(1, after.attempts(), "and did not run it again");
                } finally {
                    second.shutdown(2_000);
                }
            } finally {
                channel.shutdownNow();
                first.shutdown(1_000);
            }
            for (TrialRecord t : store.trials("slurm-test")) {
                if (t.index() == 0) {
                    assertEquals(TrialStatus.CANCELLED, t.status());
                    continue;
                }
                assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
                assertEquals(400, store.metrics(t.id(), "train").size(), "every step once: " + t.id());
                assertTrue(Files.list(runs.resolve("slurm-test").resolve(t.id()))
                        .anyMatch(f -> f.getFileName().toString().matches("slurm-\\d+\\.out")), "the job's output file");
            }
            assertEquals(2, store.trial("slurm-test-0001").orElseThrow().attempts());
        }
    }
}
