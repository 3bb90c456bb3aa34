package org.optbench.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.proto.v1.Artifact;
import org.optbench.proto.v1.CancelSweepRequest;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.DeleteSweepRequest;
import org.optbench.proto.v1.GetArtifactRequest;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.ListArtifactsRequest;
import org.optbench.proto.v1.ListSweepsRequest;
import org.optbench.proto.v1.Metric;
import org.optbench.proto.v1.ProgressReport;
import org.optbench.proto.v1.ResultReport;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.SweepState;
import org.optbench.proto.v1.TrialState;
import org.optbench.proto.v1.UploadedWeights;
import org.optbench.proto.v1.WatchSweepRequest;
import org.optbench.proto.v1.WeightsChunk;
import org.optbench.proto.v1.WorkerServiceGrpc;
import org.optbench.server.auth.TokenFile;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.TrialFile;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.LocalExecutorSpec;
import org.optbench.sweep.exec.TrialExecutor;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.TrialStore;

/** The server over real Netty on loopback: the sweep cycle, auth, limits, watchers, worker reports, restarts. */
class ServerTest {

    private static final String ALICE = "alice-token-0123456789";
    private static final String BOB = "bob-token-0123456789ab";
    private static final String ROOT = "root-token-0123456789a";
    private static final String OLD = "old-token-0123456789ab";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Path tokens() throws Exception {
        Path f = dir.resolve("tokens");
        if (!Files.exists(f)) {
            Files.writeString(f, "# test users\nalice " + ALICE + "\nbob " + BOB + " user\nroot " + ROOT + " admin\n"
                    + "old " + OLD + " user expires=2020-01-01T00:00:00Z\n");
        }
        return f;
    }

    private TokenFile tokenFile;

    private OptbenchServer start(TrialStore store, TrialExecutor workers, ServerLimits limits, boolean resume) throws Exception {
        return start(store, spec -> workers, limits, resume);
    }

    private OptbenchServer start(TrialStore store, TrialExecutors executors, ServerLimits limits, boolean resume)
            throws Exception {
        tokenFile = TokenFile.load(tokens());
        OptbenchServer s = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                new SweepCoordinator.Setup(store, executors, ExecutorChoices.only(LocalExecutorSpec.defaults()),
                Datasets.none(), dir.resolve("runs"), 1), null, tokenFile, null, null, false, limits, resume));
        open.add(s);
        return s;
    }

    private TrialStore store() {
        TrialStore s = TrialStore.sqlite(dir.resolve("runs/optbench.db"));
        open.add(s);
        return s;
    }

    private ManagedChannel channel(OptbenchServer s) {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build();
        open.add(c::shutdownNow);
        return c;
    }

    private static SweepServiceGrpc.SweepServiceBlockingStub as(ManagedChannel c, String token) {
        SweepServiceGrpc.SweepServiceBlockingStub stub = SweepServiceGrpc.newBlockingStub(c).withDeadlineAfter(30, TimeUnit.SECONDS);
        return token == null ? stub : stub.withCallCredentials(bearer(token));
    }

    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(m);
            }
        };
    }

    static String spec(String name, int parallel, double... lrs) {
        StringBuilder values = new StringBuilder();
        for (double lr : lrs) {
            values.append(values.length() == 0 ? "" : ", ").append(lr);
        }
        return "name: " + name + "\nmodel: {preset: nano, d_model: 32}\ndata: synthetic\nsteps: 10\nparallel: " + parallel
                + "\nparameters:\n  optimizer:\n    adamw: {lr: {values: [" + values + "]}}\n";
    }

    private static CreateSweepRequest create(String yaml) {
        return CreateSweepRequest.newBuilder().setYaml(yaml).build();
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void submitWatchAndResults() throws Exception {
        OptbenchServer server = start(store(), new ScriptedWorkers(10, 20, 5), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        Sweep created = as(c, ALICE).createSweep(create(spec("cycle", 2, 1e-3, 1e-2, 1e-1, 1.0)));
        assertEquals("alice", created.getOwner());
        assertEquals(4, created.getTrialsTotal());
        Iterator<SweepEvent> events = SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                .watchSweep(WatchSweepRequest.newBuilder().setSweepId("cycle").setSteps(true).build());
        List<SweepEvent> seen = new ArrayList<>();
        events.forEachRemaining(seen::add);
        assertTrue(seen.get(0).hasResync(), "a watch starts with a snapshot");
        assertTrue(seen.get(seen.size() - 1).hasDone(), "and ends with the sweep's end");
        assertEquals(4, seen.get(seen.size() - 1).getDone().getTrialsCompleted());
        assertTrue(seen.stream().anyMatch(SweepEvent::hasEvals), "evaluations are streamed");
        assertTrue(seen.stream().anyMatch(SweepEvent::hasSteps), "steps are streamed when asked for");
        assertTrue(seen.stream().anyMatch(e -> e.hasTrial() && e.getTrial().getState() == TrialState.TRIAL_STATE_COMPLETED));

        Results r = as(c, ALICE).getResults(GetResultsRequest.newBuilder().setSweepId("cycle").setCurves(true).build());
        assertEquals(4, r.getTrialsCount());
        r.getTrialsList().forEach(t -> {
            double lr = Double.parseDouble(t.getParamsOrThrow("lr"));
            assertEquals(ScriptedWorkers.loss(lr, 10), t.getFinalValLoss(), 1e-12);
            assertEquals(2, t.getEvalsCount());
        });
        assertEquals(1, r.getOptimizersCount());
        assertEquals(1e-2, r.getOptimizers(0).getBestLr(), 1e-12);
        assertEquals(5.1, r.getOptimizers(0).getBestLoss(), 1e-9);

        assertEquals(1, as(c, ALICE).listSweeps(ListSweepsRequest.getDefaultInstance()).getSweepsCount());
        assertEquals(0, as(c, BOB).listSweeps(ListSweepsRequest.getDefaultInstance()).getSweepsCount(), "bob sees only his own");
        assertEquals(1, as(c, ROOT).listSweeps(ListSweepsRequest.newBuilder().setState(SweepState.SWEEP_STATE_COMPLETED)
                .build()).getSweepsCount(), "an admin sees every sweep");
        assertEquals(0, as(c, ROOT).listSweeps(ListSweepsRequest.newBuilder().setState(SweepState.SWEEP_STATE_RUNNING)
                .build()).getSweepsCount());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(c)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus());
        assertTrue(reflectedServices(c).containsAll(List.of("optbench.v1.SweepService", "optbench.v1.WorkerService",
                "grpc.health.v1.Health")), "server reflection lists the services (what grpcurl uses)");
        // Resuming the finished sweep runs nothing and ends at once: the watch that follows must
        // get its Done however the runner's end and the subscription interleave (a watch used to
        // wait forever when it subscribed between the Done and the runner leaving the active set).
        for (int again = 0; again < 30; again++) {
            as(c, ALICE).createSweep(create(spec("cycle", 2, 1e-3, 1e-2, 1e-1, 1.0)));
            List<SweepEvent> resumed = new ArrayList<>();
            SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE)).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .watchSweep(WatchSweepRequest.newBuilder().setSweepId("cycle").build()).forEachRemaining(resumed::add);
            assertTrue(resumed.get(resumed.size() - 1).hasDone(), "resume " + again + " ends with Done");
            assertEquals(4, resumed.get(resumed.size() - 1).getDone().getTrialsCompleted());
        }
        as(c, ALICE).deleteSweep(DeleteSweepRequest.newBuilder().setSweepId("cycle").build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("cycle").build())));
    }

    @Test
    void authIsEnforced() throws Exception {
        TrialStore store = store();
        OptbenchServer server = start(store, new ScriptedWorkers(200, 50, 50), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        GetSweepRequest get = GetSweepRequest.newBuilder().setSweepId("mine").build();
        as(c, ALICE).createSweep(create(spec("mine", 1, 1e-2)));
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> as(c, null).getSweep(get)), "no token");
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> as(c, "not-a-token-at-all-xx").getSweep(get)), "wrong token");
        StatusRuntimeException expired = assertThrows(StatusRuntimeException.class, () -> as(c, OLD).getSweep(get));
        assertEquals(Status.Code.UNAUTHENTICATED, expired.getStatus().getCode());
        assertTrue(expired.getStatus().getDescription().contains("expired"), expired.getStatus().getDescription());
        assertEquals(Status.Code.NOT_FOUND, code(() -> as(c, BOB).getSweep(get)), "another user's sweep looks absent");
        assertEquals(Status.Code.NOT_FOUND, code(() -> as(c, BOB).cancelSweep(CancelSweepRequest.newBuilder()
                .setSweepId("mine").build())));
        assertEquals("mine", as(c, ROOT).getSweep(get).getId(), "an admin sees it");
        String workerToken = waitForWorkerToken(store, "mine-0000");
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> as(c, workerToken).getSweep(get)), "worker tokens are not user tokens");
        var workerStubWithUserToken = WorkerServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE));
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> workerStubWithUserToken.reportProgress(
                ProgressReport.newBuilder().setTrialId("mine-0000").setAttempt(1).build())));
        Sweep cancelled = as(c, ALICE).cancelSweep(CancelSweepRequest.newBuilder().setSweepId("mine").build());
        assertEquals(SweepState.SWEEP_STATE_CANCELLED, cancelled.getState());
        assertEquals(1, cancelled.getTrialsCancelled());
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> as(c, ALICE).cancelSweep(CancelSweepRequest.newBuilder()
                .setSweepId("mine").build())), "a finished sweep cannot be cancelled");
        Files.writeString(tokens(), "bob " + BOB + "\n");
        Files.setLastModifiedTime(tokens(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        tokenFile.recheck();
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> as(c, ALICE).getSweep(get)), "a removed line revokes its token");
    }

    private static List<String> reflectedServices(ManagedChannel c) throws InterruptedException {
        List<String> names = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        var requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(c).serverReflectionInfo(
                new io.grpc.stub.StreamObserver<io.grpc.reflection.v1.ServerReflectionResponse>() {
                    @Override
                    public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        return names;
    }

    /** The token of the trial's running attempt, as its worker finds it in trial.json (the store keeps only its hash). */
    private String waitForWorkerToken(TrialStore store, String trial) throws Exception {
        Path dirOfTrial = dir.resolve("runs").resolve(trial.substring(0, trial.lastIndexOf('-'))).resolve(trial);
        for (int i = 0; i < 200; i++) {
            String hash = store.workerTokenHash(trial);
            if (hash != null && Files.isRegularFile(dirOfTrial.resolve(TrialFile.NAME))) {
                String token = TrialFile.read(dirOfTrial).report().token();
                assertTrue(hash.startsWith("sha256:") && !hash.contains(token), "the store keeps a hash, not the token");
                assertTrue(store.isWorkerToken(trial, token));
                return token;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("trial " + trial + " never started");
    }

    @Test
    void badSpecsAndLimits() throws Exception {
        OptbenchServer server = start(store(), new ScriptedWorkers(100, 50, 50),
                new ServerLimits(64 * 1024, 3, 2, 16, 1000, ServerLimits.DEFAULT_MAX_UPLOAD_BYTES), false);
        ManagedChannel c = channel(server);
        StatusRuntimeException yaml = assertThrows(StatusRuntimeException.class, () -> as(c, ALICE).createSweep(
                create("name: x\nparameters: [unclosed\n")));
        assertEquals(Status.Code.INVALID_ARGUMENT, yaml.getStatus().getCode());
        assertTrue(yaml.getStatus().getDescription().matches("(?s)spec:\\d+:\\d+: .*"), yaml.getStatus().getDescription());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> as(c, ALICE).createSweep(
                create(spec("u", 1, 1e-2).replace("adamw", "adamm"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("adamw"), "names the valid optimizers");
        StatusRuntimeException big = assertThrows(StatusRuntimeException.class,
                () -> as(c, ALICE).createSweep(create(spec("big", 1, 1, 2, 3, 4))));
        assertEquals(Status.Code.INVALID_ARGUMENT, big.getStatus().getCode(), "more trials than the server allows");
        assertTrue(big.getStatus().getDescription().contains("4 trials") && big.getStatus().getDescription()
                .contains("--max-trials"), big.getStatus().getDescription());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> as(c, ALICE).createSweep(create(spec("neg", 1, -1)))),
                "a hyperparameter out of range is the user's error, not the server's");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(() -> as(c, ALICE).createSweep(create(spec("huge", 1, 1e-2)
                + "# " + "x".repeat(100_000) + "\n"))), "a request above the message limit");
        as(c, ALICE).createSweep(create(spec("s1", 1, 1e-2)));
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> as(c, ALICE).createSweep(create(spec("s1", 1, 1e-3)))),
                "the same name with another spec");
        Sweep bobs = as(c, BOB).createSweep(create(spec("s1", 1, 1e-2)));
        assertEquals("s1", bobs.getName(), "names are per user: bob has his own s1");
        assertNotEquals("s1", bobs.getId(), "with its own id and directory");
        assertEquals("bob", as(c, BOB).getSweep(GetSweepRequest.newBuilder().setSweepId("s1").build()).getOwner(),
                "each user's name means their own sweep");
        assertEquals("alice", as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("s1").build()).getOwner());
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> as(c, ALICE).deleteSweep(DeleteSweepRequest.newBuilder()
                .setSweepId("s1").build())), "a running sweep cannot be deleted");
        List<Iterator<SweepEvent>> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Iterator<SweepEvent> it = SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                    .watchSweep(WatchSweepRequest.newBuilder().setSweepId("s1").build());
            it.next();
            streams.add(it);
        }
        Iterator<SweepEvent> third = SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                .watchSweep(WatchSweepRequest.newBuilder().setSweepId("s1").build());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(third::next), "a user's stream limit");
        assertEquals("s1", as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("s1").build()).getId(),
                "the server keeps serving");
    }

    /** Calls {@code method} of the sweep service with {@code body} as the raw request bytes. */
    static Status.Code rawCall(ManagedChannel c, String token, String method, byte[] body) {
        io.grpc.MethodDescriptor.Marshaller<byte[]> bytes = new io.grpc.MethodDescriptor.Marshaller<>() {
            @Override
            public java.io.InputStream stream(byte[] value) {
                return new java.io.ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(java.io.InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        io.grpc.MethodDescriptor<byte[], byte[]> descriptor = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(SweepServiceGrpc.SERVICE_NAME, method))
                .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
        try {
            io.grpc.stub.ClientCalls.blockingUnaryCall(c, descriptor, io.grpc.CallOptions.DEFAULT
                    .withCallCredentials(bearer(token)).withDeadlineAfter(10, TimeUnit.SECONDS), body);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void malformedRequestsAreInvalidArgumentsAndLogOneLine() throws Exception {
        OptbenchServer server = start(store(), new ParkedWorkers(), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.err;
        System.setErr(new java.io.PrintStream(log, true));
        java.util.List<java.util.logging.LogRecord> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Handler counter = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(counter);
        try {
            byte[] garbage = new byte[512];
            new java.util.Random(1).nextBytes(garbage);
            for (String method : List.of("CreateSweep", "GetSweep", "ListSweeps", "GetResults", "CancelSweep")) {
                for (int i = 0; i < 10; i++) {
                    assertEquals(Status.Code.INVALID_ARGUMENT, rawCall(c, ALICE, method, garbage), method);
                }
            }
        } finally {
            System.setErr(before);
            java.util.logging.Logger.getLogger("").removeHandler(counter);
        }
        assertTrue(logged.stream().noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()),
                "no grpc warnings or stack traces: " + logged.stream().map(r -> r.getMessage()).toList());
        long lines = log.toString().lines().filter(l -> !l.isBlank()).count();
        assertTrue(lines <= 5, "malformed requests log at most a line now and then, not stack traces: " + lines + " lines\n"
                + log.toString().lines().limit(20).collect(java.util.stream.Collectors.joining("\n")));
        assertEquals(0, as(c, ALICE).listSweeps(ListSweepsRequest.getDefaultInstance()).getSweepsCount(), "still serving");
    }

    @Test
    void revokingATokenEndsItsWatchStreamsWithinSeconds() throws Exception {
        OptbenchServer server = start(store(), new ParkedWorkers(), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        as(c, BOB).createSweep(create(spec("watched", 1, 1e-2)));
        Iterator<SweepEvent> stream = SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(BOB))
                .withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS)
                .watchSweep(WatchSweepRequest.newBuilder().setSweepId("watched").build());
        assertTrue(stream.next().hasResync());
        assertEquals(1, server.openStreams("bob"));
        Files.writeString(tokens(), "alice " + ALICE + "\n");
        long revoked = System.nanoTime();
        StatusRuntimeException ended = assertThrows(StatusRuntimeException.class, () -> {
            while (stream.hasNext()) {
                stream.next();
            }
        });
        double seconds = (System.nanoTime() - revoked) / 1e9;
        assertEquals(Status.Code.UNAUTHENTICATED, ended.getStatus().getCode(), ended.getStatus().toString());
        assertTrue(seconds < 10, "ended after " + seconds + " s");
        assertEquals(0, server.openStreams("bob"));
    }

    /** A small prepared data directory (txt documents, the shipped tokenizer). */
    private Path preparedData() throws Exception {
        Path docs = dir.resolve("docs");
        Files.createDirectories(docs);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("The union is strong and the year ").append(1900 + i).append(" was long. ");
        }
        for (int d = 0; d < 20; d++) {
            Files.writeString(docs.resolve("doc" + d + ".txt"), text.toString());
        }
        Path out = dir.resolve("prepared");
        try (org.optbench.train.text.Tokenizer tok = org.optbench.train.text.Tokenizers.open(
                org.optbench.train.text.Tokenizers.DEFAULT, dir)) {
            org.optbench.train.data.DataPreparer.prepare(new org.optbench.train.text.CorpusReader(List.of(docs)), tok, out,
                    0.25);
        }
        return out;
    }

    @Test
    void aRemoteSpecNamesNoPathOfTheServerAndChoosesOnlyOfferedExecutors() throws Exception {
        Path prepared = preparedData();
        TrialStore store = store();
        tokenFile = TokenFile.load(tokens());
        OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                new SweepCoordinator.Setup(store, spec -> new ParkedWorkers(),
                ExecutorChoices.only(LocalExecutorSpec.defaults()), new Datasets(java.util.Map.of("small", prepared)),
                dir.resolve("runs"), 1), null, tokenFile, null, null, false, ServerLimits.defaults(), false));
        open.add(server);
        ManagedChannel c = channel(server);
        String base = spec("p", 1, 1e-2);
        java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(base.replace("steps: 10", "steps: 10\ntrain: {init_weights: /etc/passwd}"),
                "init_weights '/etc/passwd' is neither weights you uploaded nor weights this server offers");
        refused.put(base.replace("data: synthetic", "data: /etc"), "'/etc' is not a data set of this server");
        refused.put(base.replace("data: synthetic\n", "").replace("steps: 10", "steps: 10\ntrain: {tokens: /etc/passwd}"),
                "'/etc/passwd' is not a data set");
        refused.put(base.replace("steps: 10", "steps: 10\ntrain: {save_weights: /tmp/owned.safetensors}"),
                "set by the sweep for each trial");
        refused.put(base + "executor: {type: slurm}\n", "may choose among this server's executors");
        refused.put(base + "executor: {type: slurm, extra_args: ['--export=LD_PRELOAD=/tmp/x.so', '--chdir=/']}\n",
                "set nothing else");
        refused.put(base + "executor: {type: local, retries: 50}\n", "set nothing else");
        for (var e : refused.entrySet()) {
            StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                    () -> as(c, ALICE).createSweep(create(e.getKey())), e.getValue());
            assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), e.getValue());
            assertTrue(error.getStatus().getDescription().contains(e.getValue()), error.getStatus().getDescription());
            assertFalse(error.getStatus().getDescription().contains("root:"), "no content of a host file is echoed");
        }
        assertEquals(0, as(c, ALICE).listSweeps(ListSweepsRequest.getDefaultInstance()).getSweepsCount(), "nothing stored");
        assertFalse(Files.exists(Path.of("/tmp/owned.safetensors")));
        as(c, ALICE).createSweep(create(base.replace("name: p", "name: named").replace("data: synthetic", "data: small")
                + "train: {eval_tokens: 2048}\n"));
        String token = waitForWorkerToken(store, "named-0000");
        assertTrue(token.length() > 16);
        TrialFile trial = TrialFile.read(dir.resolve("runs/named/named-0000"));
        assertEquals(prepared, trial.run().data().path(), "the data set's name is resolved to its directory on the server");
    }

    /** Uploads {@code bytes} as {@code name} for the user of {@code token}; the server's answer or its error. */
    private static UploadedWeights upload(ManagedChannel c, String token, String name, byte[] bytes) throws Exception {
        java.util.concurrent.CompletableFuture<UploadedWeights> done = new java.util.concurrent.CompletableFuture<>();
        io.grpc.stub.StreamObserver<WeightsChunk> send = SweepServiceGrpc.newStub(c).withCallCredentials(bearer(token))
                .uploadWeights(new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(UploadedWeights v) {
                        done.complete(v);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        for (int off = 0; off < Math.max(1, bytes.length); off += 1 << 16) {
            WeightsChunk.Builder chunk = WeightsChunk.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(bytes, off,
                    Math.min(1 << 16, bytes.length - off)));
            send.onNext(off == 0 ? chunk.setName(name).build() : chunk.build());
        }
        send.onCompleted();
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void initialWeightsComeFromTheServersOfferOrTheUsersOwnUpload() throws Exception {
        Path offered = dir.resolve("offered.safetensors");
        Path mine = dir.resolve("mine.safetensors");
        try (org.optbench.kernels.cpu.CpuBackend backend = new org.optbench.kernels.cpu.CpuBackend(1)) {
            for (Path p : List.of(offered, mine)) {
                org.optbench.model.Transformer model = new org.optbench.model.Transformer(
                        org.optbench.model.ModelConfig.of(8192, 16, 1, 2, 64), 1, backend);
                model.initialize(p.equals(mine) ? 1 : 2);
                org.optbench.model.io.ModelWeights.save(p, model);
            }
        }
        TrialStore store = store();
        tokenFile = TokenFile.load(tokens());
        OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                new SweepCoordinator.Setup(store, spec -> new ParkedWorkers(),
                ExecutorChoices.only(LocalExecutorSpec.defaults()), new Datasets(java.util.Map.of(),
                java.util.Map.of("base", offered), null), dir.resolve("runs"), 1), null, tokenFile, null, null, false,
                new ServerLimits(4 << 20, 100, 100, 64, 1000, 3 << 20, 0, 0, 0, 0, 2 * Files.size(mine), 0), false));
        open.add(server);
        ManagedChannel c = channel(server);
        byte[] bytes = Files.readAllBytes(mine);
        UploadedWeights got = upload(c, ALICE, "mine", bytes);
        assertEquals(bytes.length, got.getBytes());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)),
                got.getSha256());
        assertEquals("vocab 8192, d_model 16, layers 1, heads 2, seq_len 64", got.getModel());
        java.util.Map<String, Object[]> bad = new java.util.LinkedHashMap<>();
        bad.put("../escape", new Object[] {bytes, Status.Code.INVALID_ARGUMENT, "must be a letter or digit"});
        bad.put("garbage", new Object[] {"not weights".getBytes(), Status.Code.INVALID_ARGUMENT, "not a model's weights"});
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        bad.put("truncated", new Object[] {truncated, Status.Code.INVALID_ARGUMENT, "not a model's weights"});
        bad.put("huge", new Object[] {new byte[4 << 20], Status.Code.RESOURCE_EXHAUSTED, "upload limit of 3145728 bytes"});
        for (var e : bad.entrySet()) {
            StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                    () -> upload(c, ALICE, e.getKey(), (byte[]) e.getValue()[0]), e.getKey());
            assertEquals(e.getValue()[1], error.getStatus().getCode(), e.getKey());
            assertTrue(error.getStatus().getDescription().contains((String) e.getValue()[2]), error.getStatus().getDescription());
            String said = error.getStatus().getDescription();
            assertTrue(!said.contains(dir.toString()) && !said.contains(Datasets.UPLOADS_DIR) && !said.contains(".part"),
                    "an upload's error names no path of the server: " + said);
        }
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> upload(c, "no-such-token-0123456789", "x", bytes)).getStatus().getCode());
        List<Path> kept;
        try (var files = Files.walk(dir.resolve("runs").resolve(Datasets.UPLOADS_DIR))) {
            kept = files.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(2, kept.size(), "only the good upload is kept, under its name and as its version: " + kept);
        Path version = kept.get(0);
        assertEquals(Datasets.VERSIONS_DIR + "/" + got.getSha256() + ".safetensors",
                version.getParent().getFileName() + "/" + version.getFileName());
        assertTrue(kept.get(1).endsWith("mine.safetensors"));
        String base = spec("w", 1, 1e-2);
        String withMine = base.replace("steps: 10", "steps: 10\ntrain: {init_weights: mine}");
        as(c, ALICE).createSweep(create(withMine));
        waitForWorkerToken(store, "w-0000");
        assertEquals(version, TrialFile.read(dir.resolve("runs/w/w-0000")).run().model().initWeights(),
                "the upload's name is resolved to the version the sweep pinned");
        assertEquals(java.util.Map.of("mine", got.getSha256()), store.pinnedWeights("w"));

        Path smaller = dir.resolve("smaller.safetensors");
        try (org.optbench.kernels.cpu.CpuBackend backend = new org.optbench.kernels.cpu.CpuBackend(1)) {
            org.optbench.model.Transformer model = new org.optbench.model.Transformer(
                    org.optbench.model.ModelConfig.of(8192, 8, 1, 2, 64), 1, backend);
            model.initialize(3);
            org.optbench.model.io.ModelWeights.save(smaller, model);
        }
        UploadedWeights again = upload(c, ALICE, "mine", Files.readAllBytes(smaller));
        assertFalse(again.getSha256().equals(got.getSha256()));
        assertEquals("vocab 8192, d_model 8, layers 1, heads 2, seq_len 64", again.getModel());
        as(c, ALICE).createSweep(create(withMine));
        assertEquals(java.util.Map.of("mine", got.getSha256()), store.pinnedWeights("w"),
                "a re-upload under the name does not change a sweep that pinned it, resubmitted or resumed");
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(version)), "the pinned version keeps its content");
        as(c, ALICE).createSweep(create(withMine.replace("name: w", "name: w2")));
        waitForWorkerToken(store, "w2-0000");
        assertEquals(java.util.Map.of("mine", again.getSha256()), store.pinnedWeights("w2"), "a new sweep pins the new one");
        assertEquals(version.resolveSibling(again.getSha256() + ".safetensors"),
                TrialFile.read(dir.resolve("runs/w2/w2-0000")).run().model().initWeights());
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class,
                () -> upload(c, ALICE, "third", Files.readAllBytes(offered)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        assertTrue(full.getStatus().getDescription().contains("past the " + 2 * bytes.length + " this server allows you "
                + "(--user-max-upload-bytes or your max-upload-bytes)"), full.getStatus().getDescription());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> as(c, BOB).createSweep(
                create(base.replace("name: w", "name: theirs").replace("steps: 10", "steps: 10\ntrain: {init_weights: mine}"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, other.getStatus().getCode());
        assertTrue(other.getStatus().getDescription().contains("is neither weights you uploaded nor weights this server "
                + "offers [base]"), other.getStatus().getDescription());
        Sweep offeredRun = as(c, BOB).createSweep(create(base.replace("name: w", "name: b")
                .replace("steps: 10", "steps: 10\ntrain: {init_weights: base}")));
        waitForWorkerToken(store, offeredRun.getId() + "-0000");
        assertEquals(offered, TrialFile.read(dir.resolve("runs").resolve(offeredRun.getId()).resolve(offeredRun.getId() + "-0000"))
                .run().model().initWeights());
    }

    /** Running trials of the sweeps {@code ids}, counted in the store. */
    private static long runningIn(TrialStore store, String... ids) {
        long n = 0;
        for (String id : ids) {
            n += store.trials(id).stream().filter(t -> t.status() == org.optbench.sweep.store.TrialStatus.RUNNING).count();
        }
        return n;
    }

    @Test
    void workersAreCappedAcrossSweepsAndUsersAndAWaitingSweepSaysWhy() throws Exception {
        TrialStore store = store();
        OptbenchServer server = start(store, new ParkedWorkers(), new ServerLimits(4 << 20, 100, 100, 64, 1000, 1 << 20, 3, 2),
                false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("a1", 3, 1e-3, 3e-3, 1e-2)));
        as(c, ALICE).createSweep(create(spec("a2", 3, 1e-3, 3e-3, 1e-2)));
        long deadline = System.currentTimeMillis() + 30_000;
        while (runningIn(store, "a1", "a2") < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        assertEquals(2, runningIn(store, "a1", "a2"), "two sweeps of parallel 3 run alice's 2 workers, no more");
        List<String> reasons = List.of(as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("a1").build()).getReason(),
                as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("a2").build()).getReason());
        assertTrue(reasons.stream().anyMatch(r -> r.startsWith("waiting: alice's 2 workers are the most one user may run at "
                + "once (the server's --user-max-workers 2)")), reasons.toString());
        as(c, BOB).createSweep(create(spec("b", 3, 1e-3, 3e-3, 1e-2)));
        while (runningIn(store, "b") < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        assertEquals(1, runningIn(store, "b"), "bob gets the server's third slot");
        assertEquals(3, runningIn(store, "a1", "a2", "b"), "9 trials asked for, --max-workers 3 run");
        String bobWaits = as(c, BOB).getSweep(GetSweepRequest.newBuilder().setSweepId("b").build()).getReason();
        assertEquals("waiting: the server runs its most workers at once (3 of --max-workers 3, shared by every user)",
                bobWaits);
    }

    @Test
    void aUsersSweepsAndTrialsStopAtTheirQuotasAtSubmission() throws Exception {
        TrialStore store = store();
        OptbenchServer server = start(store, new ParkedWorkers(), new ServerLimits(4 << 20, 100, 100, 64, 1000, 1 << 20, 4, 4,
                2, 5, 0, 0), false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("three", 1, 1e-3, 3e-3, 1e-2)));
        StatusRuntimeException tooMany = assertThrows(StatusRuntimeException.class,
                () -> as(c, ALICE).createSweep(create(spec("more", 1, 1e-3, 3e-3, 1e-2))));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooMany.getStatus().getCode());
        assertEquals("sweep 'more' may run 3 trials and your sweeps hold 3, past the 5 this server allows you "
                + "(--user-max-trials or your max-trials); delete sweeps you no longer need or narrow the spec",
                tooMany.getStatus().getDescription());
        as(c, ALICE).createSweep(create(spec("two", 1, 1e-3, 3e-3)));
        as(c, ALICE).createSweep(create(spec("three", 1, 1e-3, 3e-3, 1e-2)));
        StatusRuntimeException third = assertThrows(StatusRuntimeException.class,
                () -> as(c, ALICE).createSweep(create(spec("one", 1, 1e-3))));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, third.getStatus().getCode());
        assertTrue(third.getStatus().getDescription().startsWith("you have 2 unfinished sweeps, the most this server "
                + "allows you (--user-max-sweeps or your max-sweeps: 2)"), third.getStatus().getDescription());
        as(c, BOB).createSweep(create(spec("one", 1, 1e-3)));
        Files.writeString(tokens(), Files.readString(tokens()).replace("bob " + BOB + " user", "bob " + BOB + " user max-sweeps=1"));
        tokenFile.recheck();
        StatusRuntimeException own = assertThrows(StatusRuntimeException.class,
                () -> as(c, BOB).createSweep(create(spec("two", 1, 1e-3))));
        assertTrue(own.getStatus().getDescription().startsWith("you have 1 unfinished sweeps, the most this server allows you "
                + "(--user-max-sweeps or your max-sweeps: 1)"), "the token file's limit for bob: "
                + own.getStatus().getDescription());
    }

    @Test
    void twoHundredThousandSeedsAreRefusedInUnderASecondOrTwo() throws Exception {
        OptbenchServer server = start(store(), new ParkedWorkers(), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        StringBuilder manySeeds = new StringBuilder("name: seeds\nmodel: {preset: nano}\ndata: synthetic\nsteps: 5\n"
                + "parameters:\n  optimizer:\n    adamw: {lr: {values: [1.0e-3, 1.0e-2]}}\nseeds: [");
        for (int i = 0; i < 200_000; i++) {
            manySeeds.append(i == 0 ? "" : ", ").append(i);
        }
        String text = manySeeds.append("]\n").toString();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(c, ALICE).createSweep(create(text)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().getDescription());
            assertTrue(e.getStatus().getDescription().contains("400,000 trials"), e.getStatus().getDescription());
            assertTrue(seconds < 2, "a spec of 200,000 seeds (" + text.length() + " bytes) is refused by its trial count in "
                    + seconds + " s");
        }
    }

    @Test
    void artifactsAreTheOwnersAndOnlyTheListedFilesOfATrial() throws Exception {
        OptbenchServer server = start(store(), new ParkedWorkers(), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("art", 1, 1e-2)));
        Path trial = dir.resolve("runs/art/art-0000");
        byte[] big = new byte[3 * SweepService.CHUNK_BYTES + 17];
        new java.util.Random(3).nextBytes(big);
        Files.createDirectories(trial.resolve("checkpoint"));
        Files.write(trial.resolve("checkpoint/weights.safetensors"), big);
        Files.writeString(trial.resolve("result.json"), "{\"status\":\"completed\"}");
        var listed = as(c, ALICE).listArtifacts(ListArtifactsRequest.newBuilder().setSweepId("art").build());
        assertEquals(List.of("result.json", "checkpoint/weights.safetensors"), listed.getArtifactsList().stream()
                .map(Artifact::getName).toList());
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE)).getArtifact(GetArtifactRequest.newBuilder()
                .setSweepId("art").setTrialId("art-0000").setName("checkpoint/weights.safetensors").build())
                .forEachRemaining(chunk -> got.writeBytes(chunk.getData().toByteArray()));
        assertArrayEquals(big, got.toByteArray(), "streamed in chunks, whole");
        for (String name : List.of("trial.json", "../../tokens", "/etc/passwd", "checkpoint/../trial.json", "pid")) {
            assertEquals(Status.Code.NOT_FOUND, code(() -> SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                    .getArtifact(GetArtifactRequest.newBuilder().setSweepId("art").setTrialId("art-0000").setName(name)
                            .build()).next()), name);
        }
        assertEquals(Status.Code.NOT_FOUND, code(() -> SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(BOB))
                .getArtifact(GetArtifactRequest.newBuilder().setSweepId("art").setTrialId("art-0000")
                        .setName("result.json").build()).next()), "another user's artifacts look absent");
    }

    @Test
    void aDeletedSweepTakesItsFilesAndANewOneOfThatNameStartsAfresh() throws Exception {
        TrialStore store = store();
        OptbenchServer server = start(store, new ScriptedWorkers(4, 10, 2), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("again", 1, 1e-2)));
        SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                .watchSweep(WatchSweepRequest.newBuilder().setSweepId("again").build()).forEachRemaining(e -> { });
        Path old = dir.resolve("runs/again/again-0000");
        Files.createDirectories(old.resolve("checkpoint"));
        Files.writeString(old.resolve("checkpoint/state.json"), "{\"step\": 3}");
        as(c, ALICE).deleteSweep(DeleteSweepRequest.newBuilder().setSweepId("again").build());
        assertFalse(Files.exists(dir.resolve("runs/again")), "deleting a sweep deletes its directory");
        Sweep fresh = as(c, BOB).createSweep(create(spec("again", 1, 1e-3)));
        assertFalse(Files.exists(dir.resolve("runs").resolve(fresh.getId()).resolve("again-0000/checkpoint")),
                "nothing of the deleted sweep is found by a new one of the same name");
        Sweep other = as(c, ALICE).createSweep(create(spec("again", 1, 1e-2)));
        assertNotEquals(fresh.getId(), other.getId(), "two users' sweeps of one name have their own ids");
        StatusRuntimeException mine = assertThrows(StatusRuntimeException.class,
                () -> as(c, ALICE).createSweep(create(spec("again", 1, 1e-1))));
        assertEquals(Status.Code.ALREADY_EXISTS, mine.getStatus().getCode());
        assertTrue(mine.getStatus().getDescription().startsWith("you already have a sweep 'again'"),
                mine.getStatus().getDescription());
    }

    @Test
    void namesAreCheckedAndErrorsDoNotEchoLongInput() throws Exception {
        OptbenchServer server = start(store(), new ParkedWorkers(), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        for (String bad : List.of("..", ".hidden", "a/b", "x".repeat(65), "../../etc")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> as(c, ALICE).createSweep(create(spec("x", 1, 1e-2).replace("name: x", "name: \"" + bad + "\""))));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), bad);
            assertTrue(e.getStatus().getDescription().contains("must be a letter or digit"), e.getStatus().getDescription());
        }
        String huge = "n" + "x".repeat(10_000);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> as(c, ALICE).createSweep(create(spec("x", 1, 1e-2).replace("name: x", "name: " + huge))));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().length() < 300, "a 10 kB name is not echoed back: "
                + e.getStatus().getDescription().length() + " characters");
        assertFalse(Files.exists(dir.resolve("runs").getParent().resolve("..-0000")), "nothing outside the runs dir");
    }

    @Test
    void aServerFetchesNothingForARequestAndListsSummaries() throws Exception {
        OptbenchServer server = start(store(), new ParkedWorkers(), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(c, ALICE).createSweep(create(
                spec("corpus", 1, 1e-2).replace("data: synthetic\n", ""))));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("has not prepared the default corpus"),
                e.getStatus().getDescription());
        as(c, ALICE).createSweep(create(spec("listed", 1, 1e-2)));
        Sweep listed = as(c, ALICE).listSweeps(ListSweepsRequest.getDefaultInstance()).getSweeps(0);
        assertEquals("listed", listed.getId());
        assertEquals("", listed.getSpec(), "ListSweeps sends summaries");
        assertTrue(as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("listed").build()).getSpec()
                .startsWith("name: listed"), "GetSweep has the spec");
    }

    /** An executor that cannot place trials, as Slurm's on a machine without Slurm. */
    static final class BrokenExecutor extends ParkedWorkers {
        @Override
        public String submit(String trialId, Path trialDir) {
            throw new org.optbench.sweep.store.StoreException("cannot run sbatch (is Slurm installed and on PATH?)");
        }
    }

    @Test
    void anExecutorFailurePausesItsSweepWithTheReasonNeverTheServer() throws Exception {
        TrialStore store = store();
        OptbenchServer first = start(store, new BrokenExecutor(), ServerLimits.defaults(), false);
        ManagedChannel c = channel(first);
        as(c, ALICE).createSweep(create(spec("broken", 1, 1e-2)));
        GetSweepRequest get = GetSweepRequest.newBuilder().setSweepId("broken").build();
        Sweep paused = null;
        for (int i = 0; i < 100; i++) {
            paused = as(c, ALICE).getSweep(get);
            if (paused.getState() == SweepState.SWEEP_STATE_PAUSED) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(SweepState.SWEEP_STATE_PAUSED, paused.getState());
        assertTrue(paused.getReason().contains("cannot run sbatch"), paused.getReason());
        as(c, ALICE).createSweep(create(spec("fine", 1, 1e-2)));
        first.close();
        OptbenchServer second = start(store, new BrokenExecutor(), ServerLimits.defaults(), true);
        ManagedChannel again = channel(second);
        assertEquals("broken", as(again, ALICE).getSweep(get).getId(), "the server starts whatever one sweep's health");
    }

    @Test
    void aStoredSweepThatCanNoLongerBeParsedStaysPausedAndTheServerStarts() throws Exception {
        TrialStore store = store();
        store.createSweep("old", "old", "name: old\nsteps: 5\nseeds: [0, 0]\nparameters: {optimizer: {values: [adamw]}}\n",
                "alice");
        OptbenchServer server = start(store, new ScriptedWorkers(2, 10, 1), ServerLimits.defaults(), true);
        ManagedChannel c = channel(server);
        Sweep old = as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("old").build());
        assertEquals(SweepState.SWEEP_STATE_PAUSED, old.getState());
        assertTrue(old.getReason().contains("cannot be resumed") && old.getReason().contains("seeds lists 0 twice"),
                old.getReason());
        as(c, ALICE).createSweep(create(spec("new", 1, 1e-2)));
        assertEquals("new", as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("new").build()).getId());
    }

    @Test
    void anUnexpectedFailureIsInternalWithAnErrorIdAndNoDetail() throws Exception {
        OptbenchServer server = start(store(), spec -> {
            throw new IllegalStateException("disk /srv/secret/place is full");
        }, ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> as(c, ALICE).createSweep(create(spec("boom", 1, 1e-2))));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().matches("internal error [0-9a-f]{12}; the server's log has the cause"),
                e.getStatus().getDescription());
        assertEquals(Status.Code.NOT_FOUND, code(() -> as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("boom")
                .build())), "the server keeps serving, and stored nothing of the failed sweep");
    }

    @Test
    void workerReportsAreIdempotentAndScoped() throws Exception {
        TrialStore store = store();
        ParkedWorkers parked = new ParkedWorkers();
        OptbenchServer server = start(store, parked, ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("rep", 2, 1e-2, 1e-3)));
        String t0 = "rep-0000";
        String token = waitForWorkerToken(store, t0);
        waitForWorkerToken(store, "rep-0001");
        JsonNode trial = new ObjectMapper().readTree(dir.resolve("runs/rep/" + t0 + "/trial.json").toFile());
        assertEquals(token, trial.path("report").path("token").asText(), "the worker finds its token in trial.json");
        var worker = workerStub(c, token, t0);
        ProgressReport report = ProgressReport.newBuilder().setTrialId(t0).setAttempt(1)
                .addSteps(Metric.newBuilder().setStep(1).setLoss(6.5).setTokens(64))
                .addSteps(Metric.newBuilder().setStep(2).setLoss(6.25).setTokens(128))
                .addEvals(Metric.newBuilder().setStep(2).setLoss(6.0)).build();
        assertTrue(worker.reportProgress(report).getRecorded());
        assertFalse(worker.reportProgress(report).getRecorded(), "a retried report is acknowledged, not recorded again");
        assertEquals(2, store.metrics(t0, "train").size());
        assertEquals(1, store.metrics(t0, "eval").size());
        assertEquals(2, store.trial(t0).orElseThrow().lastStep());
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> worker.reportProgress(report.toBuilder().setAttempt(2).build())),
                "another attempt's report");
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> worker.reportProgress(report.toBuilder().setTrialId("rep-0001")
                .build())), "a worker reports only on its own trial");
        var wrongToken = workerStub(c, token, "rep-0001");
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> wrongToken.reportProgress(report.toBuilder().setTrialId("rep-0001")
                .build())), "a token is scoped to its trial");
        ResultReport result = ResultReport.newBuilder().setTrialId(t0).setAttempt(1).setFinalValLoss(6.0).setStateBytes(8)
                .setResultJson("{}").build();
        assertTrue(worker.reportResult(result).getRecorded());
        assertFalse(worker.reportResult(result).getRecorded(), "a retried result is acknowledged, not recorded again");
        assertEquals(6.0, store.trial(t0).orElseThrow().finalValLoss());
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> worker.reportProgress(report)), "a finished attempt takes no more");
        parked.release();
    }

    private static WorkerServiceGrpc.WorkerServiceBlockingStub workerStub(ManagedChannel c, String token, String trial) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("x-optbench-trial", Metadata.ASCII_STRING_MARSHALLER), trial);
        return WorkerServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(token))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    @Test
    void slowAndDisconnectingWatchersDoNotStallTheServer() throws Exception {
        OptbenchServer server = start(store(), new ScriptedWorkers(400, 1, 1), new ServerLimits(4 << 20, 100, 100, 8, 1000, ServerLimits.DEFAULT_MAX_UPLOAD_BYTES), false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("slow", 2, 1e-3, 1e-2, 1e-1, 1.0)));
        List<SweepEvent> got = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        // a small HTTP/2 window, so the stalled reader's transport fills up quickly
        ManagedChannel narrow = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .flowControlWindow(4096).build();
        open.add(narrow::shutdownNow);
        ClientCall<WatchSweepRequest, SweepEvent> call = narrow.newCall(SweepServiceGrpc.getWatchSweepMethod(),
                CallOptions.DEFAULT.withCallCredentials(bearer(ALICE)));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(SweepEvent message) {
                got.add(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.countDown();
            }
        }, new Metadata());
        call.sendMessage(WatchSweepRequest.newBuilder().setSweepId("slow").setSteps(true).build());
        call.halfClose();
        call.request(1);
        Iterator<SweepEvent> fast = SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                .watchSweep(WatchSweepRequest.newBuilder().setSweepId("slow").build());
        int fastEvents = 0;
        while (fast.hasNext()) {
            fast.next();
            fastEvents++;
        }
        assertTrue(fastEvents > 4, "a reading watcher follows the whole sweep while another one stalls");
        assertEquals(1, got.size(), "the stalled watcher took only what it asked for");
        call.request(1000);
        assertTrue(closed.await(30, TimeUnit.SECONDS), "the stalled watcher still gets to the end");
        SweepEvent resync = got.stream().skip(1).filter(SweepEvent::hasResync).findFirst().orElseThrow(
                () -> new AssertionError("no resync after overflowing: " + got.size() + " events"));
        assertTrue(resync.getResync().getDropped() > 0, "the resync counts the dropped events");
        assertEquals(4, resync.getResync().getSweep().getTrialsTotal());
        assertTrue(got.get(got.size() - 1).hasDone());
    }

    @Test
    void aDisconnectedWatcherIsReleased() throws Exception {
        OptbenchServer server = start(store(), new ScriptedWorkers(400, 20, 100), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("gone", 1, 1e-2)));
        io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
        Iterator<SweepEvent>[] it = new Iterator[1];
        ctx.run(() -> {
            it[0] = SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                    .watchSweep(WatchSweepRequest.newBuilder().setSweepId("gone").setSteps(true).build());
            it[0].next();
        });
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.openStreams("alice") != 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, server.openStreams("alice"));
        ctx.cancel(null);
        while (server.openStreams("alice") != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.openStreams("alice"), "a watcher that leaves frees its stream");
        assertEquals(SweepState.SWEEP_STATE_RUNNING, as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("gone")
                .build()).getState(), "and the sweep goes on");
    }

    @Test
    void aServerRestartMidSweepLosesNothing() throws Exception {
        TrialStore store = store();
        ScriptedWorkers first = new ScriptedWorkers(10, 40, 5);
        OptbenchServer a = start(store, first, ServerLimits.defaults(), true);
        as(channel(a), ALICE).createSweep(create(spec("restart", 1, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)));
        long deadline = System.currentTimeMillis() + 60_000;
        while (store.trials("restart").stream().filter(t -> t.status().label().equals("completed")).count() < 2
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        a.shutdown(2_000);
        List<String> completedBefore = store.trials("restart").stream().filter(t -> t.status().label().equals("completed"))
                .map(t -> t.id()).toList();
        assertTrue(completedBefore.size() >= 2);
        ScriptedWorkers second = new ScriptedWorkers(10, 10, 5);
        OptbenchServer b = start(store, second, ServerLimits.defaults(), true);
        ManagedChannel c = channel(b);
        Sweep s;
        do {
            Thread.sleep(50);
            s = as(c, ALICE).getSweep(GetSweepRequest.newBuilder().setSweepId("restart").build());
        } while (s.getState() != SweepState.SWEEP_STATE_COMPLETED && System.currentTimeMillis() < deadline);
        assertEquals(SweepState.SWEEP_STATE_COMPLETED, s.getState(), "the new server resumed and finished the sweep");
        assertEquals(5, s.getTrialsCompleted());
        assertEquals(5 - completedBefore.size(), second.started.get(), "only unfinished trials ran again");
        for (var t : store.trials("restart")) {
            assertEquals(10, store.metrics(t.id(), "train").size(), "every step once: " + t.id());
            if (completedBefore.contains(t.id())) {
                assertEquals(1, t.attempts(), "finished before the restart, never run again");
            }
        }
    }

    @Test
    void earlyStoppingStopsHopelessTrialsAtTheirRung() throws Exception {
        TrialStore store = store();
        OptbenchServer server = start(store, new ScriptedWorkers(16, 100, 4), ServerLimits.defaults(), false);
        ManagedChannel c = channel(server);
        as(c, ALICE).createSweep(create(spec("asha", 1, 1e-2, 1e-1, 1.0, 10.0).replace("steps: 10", "steps: 16")
                + "early_terminate: {type: hyperband, min_iter: 4, eta: 2}\n"));
        SweepServiceGrpc.newBlockingStub(c).withCallCredentials(bearer(ALICE))
                .watchSweep(WatchSweepRequest.newBuilder().setSweepId("asha").build()).forEachRemaining(e -> { });
        TrialFile trial = TrialFile.read(dir.resolve("runs/asha/asha-0001"));
        assertEquals(List.of(4, 8), trial.run().eval().steps(), "trials evaluate at the rungs: " + trial);
        var trials = store.trials("asha");
        assertEquals("completed", trials.get(0).status().label(), "the first (and best) trial runs to the end");
        for (var t : trials.subList(1, 4)) {
            assertEquals("stopped", t.status().label(), t.toString());
            assertTrue(t.error().startsWith("early-stopped at step 4"), t.error());
            assertTrue(t.lastStep() < 16, "stopped before the end: " + t.lastStep());
        }
        Results r = as(c, ALICE).getResults(GetResultsRequest.newBuilder().setSweepId("asha").build());
        assertEquals(1e-2, r.getOptimizers(0).getBestLr(), 1e-12);
        assertEquals(0, r.getOptimizers(0).getDiverged(), "stopped trials did not diverge: the curves leave them out");
        assertEquals(4, r.getOptimizers(0).getTrials());
        assertEquals(1, r.getOptimizers(0).getCurveCount(), "only the completed trial's LR is on the curve");
    }

    @Test
    void servesOverTls() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("openssl is not installed: " + e.getMessage());
            return;
        }
        assertEquals(0, openssl.waitFor(), new String(openssl.getInputStream().readAllBytes()));
        tokenFile = TokenFile.load(tokens());
        OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                new SweepCoordinator.Setup(store(), spec -> new ParkedWorkers(),
                ExecutorChoices.only(LocalExecutorSpec.defaults()), Datasets.none(), dir.resolve("runs"), 1), null,
                tokenFile, cert.toFile(), key.toFile(), false, ServerLimits.defaults(), false));
        open.add(server);
        ManagedChannel tls = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient().trustManager(cert.toFile()).build())
                .build();
        open.add(tls::shutdownNow);
        assertEquals(0, as(tls, ALICE).listSweeps(ListSweepsRequest.getDefaultInstance()).getSweepsCount());
        ManagedChannel plain = channel(server);
        assertEquals(Status.Code.UNAVAILABLE, code(() -> as(plain, ALICE).listSweeps(ListSweepsRequest.getDefaultInstance())),
                "a plaintext client cannot talk to a TLS server");
    }

    /** An executor whose trials start and then wait, so a test can report for them by hand. */
    static class ParkedWorkers implements TrialExecutor {
        private final CountDownLatch release = new CountDownLatch(1);

        void release() {
            release.countDown();
        }

        @Override
        public String submit(String trialId, Path trialDir) {
            return "parked-" + trialId;
        }

        @Override
        public org.optbench.sweep.exec.Outcome poll(String executorId) {
            return release.getCount() == 0 ? org.optbench.sweep.exec.Outcome.exited(0) : null;
        }

        @Override
        public void cancel(String executorId) {
        }

        @Override
        public void stopOrphan(String executorId, Path trialDir) {
        }

        @Override
        public void close() {
            release();
        }
    }
}
