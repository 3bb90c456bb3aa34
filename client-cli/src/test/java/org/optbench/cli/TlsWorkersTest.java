package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.server.OptbenchServer;
import org.optbench.server.ServerLimits;
import org.optbench.server.auth.TokenFile;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.TrialFile;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.LocalExecutorSpec;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/** The workers of a TLS server report to it over TLS, trusting the server's certificate from their trial file. */
class TlsWorkersTest {

    private static final String TOKEN = "0123456789abcdef0123456789";

    @TempDir
    Path dir;

    @Test
    void workersOfATlsServerReportOverTls() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        assertEquals(0, openssl.waitFor(), new String(openssl.getInputStream().readAllBytes()));
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice " + TOKEN + "\n");
        Path spec = dir.resolve("tls.yaml");
        Files.writeString(spec, """
                name: tls
                model: {preset: nano, d_model: 32}
                data: synthetic
                steps: 30
                train: {eval_tokens: 2048, eval_points: 2}
                parameters:
                  optimizer:
                    adamw: {lr: {values: [1.0e-2]}}
                """);
        try (TrialStore store = TrialStore.sqlite(dir.resolve("server/optbench.db"));
             OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                     new SweepCoordinator.Setup(store, TrialExecutors.of(WorkerLaunch.program()),
                     ExecutorChoices.only(LocalExecutorSpec.defaults()), Datasets.none(), dir.resolve("server"), 1),
                     null, TokenFile.load(tokens), cert.toFile(), key.toFile(), false, ServerLimits.defaults(),
                     false))) {
            long start = System.nanoTime();
            CliProcess submit = CliProcess.run(dir, Map.of(), 180, "sweep", "submit", spec.toString(), "--watch",
                    "--server", "127.0.0.1:" + server.port(), "--tls-ca", cert.toString(), "--token", TOKEN);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(0, submit.code(), submit.err() + submit.out());
            TrialRecord t = store.trials("tls").get(0);
            assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
            assertEquals(30, store.metrics(t.id(), "train").size(), "every step reported over TLS");
            TrialFile file = TrialFile.read(dir.resolve("server/tls").resolve(t.id()));
            assertTrue(file.report().trustPem().contains("BEGIN CERTIFICATE"), "the worker trusts the server's certificate");
            String log = Files.readString(dir.resolve("server/tls").resolve(t.id()).resolve("log.txt"));
            assertTrue(!log.contains("report refused") && !log.contains("UNAVAILABLE"), log);
            System.out.printf("a 30-step trial of a TLS server, submitted and watched over TLS: %.1f s%n", seconds);
        }
    }
}
