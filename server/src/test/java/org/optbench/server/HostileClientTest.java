package org.optbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.proto.v1.CancelSweepRequest;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.DeleteSweepRequest;
import org.optbench.proto.v1.GetArtifactRequest;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.ListArtifactsRequest;
import org.optbench.proto.v1.ListSweepsRequest;
import org.optbench.proto.v1.ProgressReport;
import org.optbench.proto.v1.ResultReport;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.WatchSweepRequest;
import org.optbench.proto.v1.WorkerServiceGrpc;
import org.optbench.server.auth.TokenFile;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.LocalExecutorSpec;
import org.optbench.sweep.store.TrialStore;

/**
 * A server over loopback under a hostile client: hundreds of requests of every bad kind (no,
 * wrong or expired tokens, other users' ids, worker calls with user tokens, path traversal, YAML
 * bombs, deep nesting, huge grids, bad numbers, oversized and malformed messages, watch floods,
 * create/delete races), each answered with its status code; afterwards the server still answers
 * within 100 ms and nothing was written outside its runs directory.
 */
class HostileClientTest {

    private static final String ALICE = "alice-token-0123456789";
    private static final String BOB = "bob-token-0123456789ab";
    private static final String OLD = "old-token-0123456789ab";
    private static final int MAX_STREAMS = 4;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, Integer> sent = new LinkedHashMap<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private SweepServiceGrpc.SweepServiceBlockingStub as(ManagedChannel c, String token) {
        SweepServiceGrpc.SweepServiceBlockingStub s = SweepServiceGrpc.newBlockingStub(c).withDeadlineAfter(30, TimeUnit.SECONDS);
        return token == null ? s : s.withCallCredentials(ServerTest.bearer(token));
    }

    /** Makes one request of class {@code kind} and checks its status code. */
    private void expect(String kind, Status.Code wanted, Runnable call) {
        Status.Code got;
        try {
            call.run();
            got = Status.Code.OK;
        } catch (StatusRuntimeException e) {
            got = e.getStatus().getCode();
            assertTrue(e.getStatus().getDescription() == null || e.getStatus().getDescription().length() <= 2200,
                    kind + ": a bounded description");
        }
        assertEquals(wanted, got, kind);
        sent.merge(kind, 1, Integer::sum);
    }

    private static CreateSweepRequest yaml(String text) {
        return CreateSweepRequest.newBuilder().setYaml(text).build();
    }

    @Test
    void hundredsOfHostileRequestsAreAnsweredAndTheServerStaysUp() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice " + ALICE + "\nbob " + BOB + "\nold " + OLD + " user expires=2020-01-01T00:00:00Z\n");
        Path runs = dir.resolve("runs");
        TrialStore store = TrialStore.sqlite(runs.resolve("optbench.db"));
        open.add(store);
        OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                new SweepCoordinator.Setup(store, spec -> new ServerTest.ParkedWorkers(),
                ExecutorChoices.only(LocalExecutorSpec.defaults()), Datasets.none(), runs, 1), null,
                TokenFile.load(tokens), null, null, false, new ServerLimits(256 * 1024, 10_000, MAX_STREAMS, 64,
                        100_000, 1 << 20), false));
        open.add(server);
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        open.add(c::shutdownNow);
        as(c, ALICE).createSweep(yaml(ServerTest.spec("secret", 1, 1e-2)));
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler counter = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(counter);
        open.add(() -> java.util.logging.Logger.getLogger("").removeHandler(counter));
        String outside = "/tmp/optbench-hostile-" + UUID.randomUUID();
        GetSweepRequest secret = GetSweepRequest.newBuilder().setSweepId("secret").build();

        List<Supplier<Object>> anyCall = List.of(
                () -> as(c, null).getSweep(secret), () -> as(c, null).listSweeps(ListSweepsRequest.getDefaultInstance()),
                () -> as(c, null).createSweep(yaml(ServerTest.spec("x", 1, 1e-2))),
                () -> as(c, null).getResults(GetResultsRequest.newBuilder().setSweepId("secret").build()));
        for (int i = 0; i < 20; i++) {
            Supplier<Object> call = anyCall.get(i % anyCall.size());
            expect("no token", Status.Code.UNAUTHENTICATED, call::get);
        }
        for (int i = 0; i < 20; i++) {
            String wrong = i % 2 == 0 ? "wrong-token-" + i + "-0123456789" : ALICE.substring(0, ALICE.length() - 1) + "x";
            expect("wrong token", Status.Code.UNAUTHENTICATED, () -> as(c, wrong).getSweep(secret));
        }
        for (int i = 0; i < 10; i++) {
            expect("expired token", Status.Code.UNAUTHENTICATED, () -> as(c, OLD).listSweeps(ListSweepsRequest.getDefaultInstance()));
        }
        for (int i = 0; i < 3; i++) {
            expect("another user's id", Status.Code.NOT_FOUND, () -> as(c, BOB).getSweep(secret));
            expect("another user's id", Status.Code.NOT_FOUND, () -> as(c, BOB).cancelSweep(CancelSweepRequest.newBuilder()
                    .setSweepId("secret").build()));
            expect("another user's id", Status.Code.NOT_FOUND, () -> as(c, BOB).deleteSweep(DeleteSweepRequest.newBuilder()
                    .setSweepId("secret").build()));
            expect("another user's id", Status.Code.NOT_FOUND, () -> as(c, BOB).getResults(GetResultsRequest.newBuilder()
                    .setSweepId("secret").build()));
            expect("another user's id", Status.Code.NOT_FOUND, () -> as(c, BOB).listArtifacts(ListArtifactsRequest.newBuilder()
                    .setSweepId("secret").build()));
            expect("another user's id", Status.Code.NOT_FOUND, () -> as(c, BOB).getArtifact(GetArtifactRequest.newBuilder()
                    .setSweepId("secret").setTrialId("secret-0000").setName("result.json").build()).next());
            expect("another user's id", Status.Code.NOT_FOUND, () -> as(c, BOB).watchSweep(WatchSweepRequest.newBuilder()
                    .setSweepId("secret").build()).next());
        }
        for (int i = 0; i < 10; i++) {
            var worker = WorkerServiceGrpc.newBlockingStub(c).withCallCredentials(ServerTest.bearer(ALICE))
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            expect("worker call with a user token", Status.Code.UNAUTHENTICATED, () -> worker.reportProgress(
                    ProgressReport.newBuilder().setTrialId("secret-0000").setAttempt(1).build()));
            expect("worker call with a user token", Status.Code.UNAUTHENTICATED, () -> worker.reportResult(
                    ResultReport.newBuilder().setTrialId("secret-0000").setAttempt(1).setFinalValLoss(0.1).build()));
        }
        List<String> traversal = List.of("..", "../x", "../../etc", "a/b", ".", "/etc/passwd", "x/../../y", "..\\x",
                "%2e%2e", "~root", "a b", "-rf", ".git", "x\u0000y", "名前");
        for (String name : traversal) {
            expect("traversal name", Status.Code.INVALID_ARGUMENT, () -> as(c, ALICE).createSweep(yaml(
                    ServerTest.spec("x", 1, 1e-2).replace("name: x", "name: \"" + name + "\""))));
            expect("traversal id", Status.Code.NOT_FOUND, () -> as(c, ALICE).getSweep(GetSweepRequest.newBuilder()
                    .setSweepId(name).build()));
            expect("traversal artifact", Status.Code.NOT_FOUND, () -> as(c, ALICE).getArtifact(GetArtifactRequest
                    .newBuilder().setSweepId("secret").setTrialId("secret-0000").setName(name + "/trial.json").build()).next());
        }
        for (String token : List.of("-1", "-2", "-2147483648", "2147483648", "99999999999", "1e3", " 1", "0x10",
                "x".repeat(5042))) {
            expect("bad page token", Status.Code.INVALID_ARGUMENT, () -> as(c, ALICE).listSweeps(ListSweepsRequest
                    .newBuilder().setPageToken(token).build()));
            try {
                as(c, ALICE).listSweeps(ListSweepsRequest.newBuilder().setPageToken(token).build());
            } catch (StatusRuntimeException e) {
                String description = e.getStatus().getDescription();
                assertTrue(description.length() <= 64 + 150 && !description.contains("x".repeat(65)),
                        "a bad page token is echoed in at most 64 characters: " + description.length());
            }
        }
        String laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
                + "name: bomb\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, lr: {values: *g}}\n";
        for (int i = 0; i < 5; i++) {
            expect("YAML bomb", Status.Code.INVALID_ARGUMENT, () -> as(c, ALICE).createSweep(yaml(laughs)));
        }
        String deep = "name: deep\nsteps: 5\nparameters: {optimizer: {values: [adamw]}}\ntrain: {eval_steps: "
                + "[".repeat(5000) + "1" + "]".repeat(5000) + "}\n";
        for (int i = 0; i < 5; i++) {
            expect("deep nesting", Status.Code.INVALID_ARGUMENT, () -> as(c, ALICE).createSweep(yaml(deep)));
        }
        for (int exponent : new int[] {7, 8, 12, 18, 30}) {
            StringBuilder grid = new StringBuilder("name: huge\nsteps: 5\nparameters:\n  optimizer: {values: [adamw]}\n");
            for (int k = 0; k < exponent; k++) {
                grid.append("  ").append(List.of("lr", "beta1", "beta2", "eps", "wd", "warmup", "clip", "z_loss", "d_model",
                        "seq_len", "batch", "eval_points").get(k % 12)).append(k >= 12 ? "" : ": {values: [1,2,3,4,5,6,7,8,9,10]}\n");
            }
            String text = grid.toString().lines().filter(l -> !l.endsWith("  lr") && l.contains(":")).reduce("",
                    (a, b) -> a + b + "\n");
            long start = System.nanoTime();
            expect("huge grid", Status.Code.INVALID_ARGUMENT, () -> as(c, ALICE).createSweep(yaml(text)));
            assertTrue((System.nanoTime() - start) / 1e9 < 5, "a huge grid is refused by its count");
        }
        List<String> badNumbers = List.of("lr: {value: .nan}", "lr: {value: 1e400}", "lr: {value: -0.0}", "lr: {value: 1e-3x}",
                "batch: {value: 1e30}", "steps: {value: -1}", "warmup: {value: .inf}", "clip: {value: -.inf}",
                "seq_len: {value: 0x7fffffff}", "eval_tokens: {value: 99999999999999999999999}");
        for (String bad : badNumbers) {
            expect("bad number", Status.Code.INVALID_ARGUMENT, () -> as(c, ALICE).createSweep(yaml(
                    "name: bad\nmodel: {preset: nano}\ndata: synthetic\nsteps: 5\nparameters:\n  optimizer: {values: [adamw]}\n  "
                            + bad + "\n")));
        }
        for (int i = 0; i < 5; i++) {
            expect("oversized message", Status.Code.RESOURCE_EXHAUSTED, () -> as(c, ALICE).createSweep(yaml(
                    ServerTest.spec("big", 1, 1e-2) + "# " + "x".repeat(300_000) + "\n")));
        }
        byte[] garbage = new byte[1024];
        new java.util.Random(7).nextBytes(garbage);
        for (String method : List.of("CreateSweep", "GetSweep", "ListSweeps", "WatchSweep", "GetResults")) {
            for (int i = 0; i < 3; i++) {
                expect("malformed message", Status.Code.INVALID_ARGUMENT, () -> {
                    Status.Code code = ServerTest.rawCall(c, ALICE, method, garbage);
                    if (code != Status.Code.OK) {
                        throw code.toStatus().asRuntimeException();
                    }
                });
            }
        }
        List<Iterator<SweepEvent>> streams = new ArrayList<>();
        for (int i = 0; i < MAX_STREAMS; i++) {
            Iterator<SweepEvent> it = as(c, ALICE).withDeadlineAfter(60, TimeUnit.SECONDS).watchSweep(
                    WatchSweepRequest.newBuilder().setSweepId("secret").build());
            it.next();
            streams.add(it);
        }
        for (int i = 0; i < 10; i++) {
            expect("watch flood", Status.Code.RESOURCE_EXHAUSTED, () -> as(c, ALICE).watchSweep(WatchSweepRequest.newBuilder()
                    .setSweepId("secret").build()).next());
        }
        Set<Status.Code> raceCodes = ConcurrentHashMap.newKeySet();
        ExecutorService racers = Executors.newFixedThreadPool(8);
        List<Future<?>> races = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int k = i;
            races.add(racers.submit(() -> {
                try {
                    if (k % 2 == 0) {
                        as(c, BOB).createSweep(yaml(ServerTest.spec("race", 1, 1e-2 * (1 + k % 3))));
                    } else {
                        as(c, BOB).cancelSweep(CancelSweepRequest.newBuilder().setSweepId("race").build());
                        as(c, BOB).deleteSweep(DeleteSweepRequest.newBuilder().setSweepId("race").build());
                    }
                    raceCodes.add(Status.Code.OK);
                } catch (StatusRuntimeException e) {
                    raceCodes.add(e.getStatus().getCode());
                }
                return null;
            }));
        }
        for (Future<?> f : races) {
            f.get(60, TimeUnit.SECONDS);
        }
        racers.shutdown();
        sent.merge("create/delete race", races.size(), Integer::sum);
        assertTrue(Set.of(Status.Code.OK, Status.Code.ALREADY_EXISTS, Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION)
                .containsAll(raceCodes), "races end in ordinary answers: " + raceCodes);

        assertTrue(warnings.isEmpty(), "hostile requests leave no warnings or stack traces in the log: "
                + warnings.stream().map(java.util.logging.LogRecord::getMessage).toList());
        int total = sent.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("hostile requests: " + total + " " + sent);
        assertTrue(total >= 200, total + " requests");
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertEquals("secret", as(c, ALICE).getSweep(secret).getName());
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        millis.sort(null);
        assertTrue(millis.get(2) < 100, "GetSweep answers within 100 ms afterwards: " + millis);
        try (var walk = Files.walk(dir)) {
            List<Path> strays = walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(runs) && !p.equals(tokens)).toList();
            assertTrue(strays.isEmpty(), "nothing written outside the runs directory: " + strays);
        }
        assertFalse(Files.exists(Path.of(outside)));
    }
}
