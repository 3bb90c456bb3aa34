package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.server.OptbenchServer;
import org.optbench.server.ServerLimits;
import org.optbench.server.auth.TokenFile;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.LocalExecutorSpec;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/**
 * The CLI against a real server on loopback whose trials are real worker processes reporting
 * over gRPC: submit and watch, status, list, results in three formats, the report, and the exit
 * codes of refused calls, each command run as a child process whose real stdout, stderr and exit
 * code are read.
 */
class RemoteSweepTest {

    private static final String TOKEN = "carol-token-0123456789";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    /** Runs {@code optbench args...} as a child process, as a user does, and reads its real output. */
    private Run cli(String... args) throws Exception {
        CliProcess p = CliProcess.run(dir, java.util.Map.of(), 300, args);
        return new Run(p.code(), p.out(), p.err());
    }

    @Test
    void submitWatchResultsAndReportAgainstAServer() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "carol " + TOKEN + "\n");
        Path spec = dir.resolve("remote.yaml");
        Files.writeString(spec, """
                name: remote-test
                model: {preset: nano, d_model: 32}
                data: synthetic
                steps: 30
                parallel: 2
                save_weights: true
                train: {eval_tokens: 2048, eval_points: 2}
                parameters:
                  optimizer:
                    adamw: {lr: {values: [1.0e-3, 1.0e-2]}}
                    sgd: {lr: {values: [0.1]}}
                """);
        try (TrialStore store = TrialStore.sqlite(dir.resolve("server/optbench.db"));
             OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                     new SweepCoordinator.Setup(store, TrialExecutors.of(WorkerLaunch.program()),
                     ExecutorChoices.only(LocalExecutorSpec.defaults()), Datasets.none(), dir.resolve("server"), 1),
                     null, TokenFile.load(tokens), null, null, false, ServerLimits.defaults(), true))) {
            String at = "127.0.0.1:" + server.port();
            Run submit = cli("sweep", "submit", spec.toString(), "--watch", "--server", at, "--token", TOKEN);
            assertEquals(0, submit.code(), submit.err() + submit.out());
            assertTrue(submit.out().contains("submitted remote-test: 3 trials"), submit.out());
            assertTrue(submit.out().contains("trials 3/3 done"), submit.out());
            for (TrialRecord t : store.trials("remote-test")) {
                assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
                assertEquals(30, store.metrics(t.id(), "train").size(), "steps reported over gRPC: " + t.id());
                assertEquals(30, t.lastStep());
            }

            Run status = cli("sweep", "status", "remote-test", "--server", at, "--token", TOKEN);
            assertTrue(status.out().contains("completed") && status.out().contains("3/3"), status.out());
            Run list = cli("sweep", "list", "--server", at, "--token", TOKEN);
            assertTrue(list.out().startsWith("sweep ") && list.out().contains("remote-test")
                    && list.out().contains("carol"), list.out());
            Run table = cli("results", "remote-test", "--server", at, "--token", TOKEN);
            assertTrue(table.out().contains("adamw") && table.out().contains("sgd"), table.out());
            Run csv = cli("results", "remote-test", "--format", "csv", "--server", at, "--token", TOKEN);
            assertEquals(4, csv.out().strip().split("\n").length, csv.out());
            Run json = cli("results", "remote-test", "--format", "json", "--server", at, "--token", TOKEN);
            assertTrue(json.out().contains("\"optimizers\"") && json.out().contains("\"evals\""), json.out());
            Run report = cli("report", "remote-test", "-o", dir.resolve("report").toString(), "--server", at, "--token", TOKEN);
            assertEquals(0, report.code(), report.err());
            assertTrue(Files.size(dir.resolve("report/report.html")) > 10_000);
            assertTrue(Files.isRegularFile(dir.resolve("report/loss_vs_relative_lr.svg")));

            Path downloaded = dir.resolve("downloaded");
            CliProcess fetch = CliProcess.run(dir, java.util.Map.of(), 120, "results", "remote-test", "--server", at,
                    "--token", TOKEN, "--download", downloaded.toString());
            assertEquals(0, fetch.code(), fetch.err());
            assertTrue(fetch.out().contains("downloaded ") && fetch.out().contains("into " + downloaded), fetch.out());
            for (TrialRecord t : store.trials("remote-test")) {
                Path there = dir.resolve("server/remote-test").resolve(t.id());
                for (String name : java.util.List.of("result.json", "metrics.jsonl", "log.txt", "weights.safetensors",
                        "checkpoint/state.json", "checkpoint/optimizer.safetensors")) {
                    assertArrayEquals(Files.readAllBytes(there.resolve(name)),
                            Files.readAllBytes(downloaded.resolve(t.id()).resolve(name)), t.id() + " " + name);
                }
                assertTrue(Files.size(downloaded.resolve(t.id()).resolve("weights.safetensors")) > 1_000_000,
                        "save_weights: true keeps each trial's final weights, downloadable");
                assertFalse(Files.exists(downloaded.resolve(t.id()).resolve("trial.json")), "the trial file (its token) stays");
            }

            Path trained = downloaded.resolve(store.trials("remote-test").get(0).id()).resolve("weights.safetensors");
            CliProcess up = CliProcess.run(dir, java.util.Map.of(), 120, "weights", "upload", trained.toString(), "--name",
                    "warm-start", "--server", at, "--token", TOKEN);
            assertEquals(0, up.code(), up.err());
            assertTrue(up.out().startsWith("uploaded warm-start: " + String.format("%,d", Files.size(trained)) + " bytes")
                    && up.out().contains("model vocab 8192, d_model 32") && up.out().contains("init_weights: warm-start"),
                    up.out());

            Path config = dir.resolve("client.properties");
            Files.writeString(config, "server=" + at + "\ntoken=" + TOKEN + "\n");
            ProcessBuilder pb = new ProcessBuilder(CliProcess.command("sweep", "list")).redirectErrorStream(true);
            pb.environment().put("OPTBENCH_CONFIG", config.toString());
            pb.environment().remove("OPTBENCH_TOKEN");
            Process p = pb.start();
            String listed = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), listed);
            assertTrue(listed.contains("remote-test"), "server and token from the client config file: " + listed);

            Run wrong = cli("sweep", "list", "--server", at, "--token", "wrong-token-0123456789");
            assertEquals(3, wrong.code(), wrong.err());
            assertTrue(wrong.err().contains("UNAUTHENTICATED"), wrong.err());
            Run missing = cli("sweep", "status", "nope", "--server", at, "--token", TOKEN);
            assertEquals(2, missing.code(), missing.err());
            assertTrue(missing.err().contains("NOT_FOUND") && missing.err().contains("sweep list"), missing.err());
            Run bad = cli("sweep", "cancel", "remote-test", "--server", at, "--token", TOKEN);
            assertEquals(2, bad.code(), "a finished sweep cannot be cancelled: " + bad.err());
        }
        Run down = cli("sweep", "list", "--server", "127.0.0.1:1", "--token", TOKEN, "--deadline", "5");
        assertEquals(4, down.code(), down.err());
        assertTrue(down.err().contains("UNAVAILABLE") && down.err().contains("no optbench server answered at 127.0.0.1:1"),
                down.err());
    }
}
