package org.optbench.cli.remote;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.server.OptbenchServer;
import org.optbench.server.ServerLimits;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.LocalExecutorSpec;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.TrialStore;

/**
 * A client's channel to the sweep service: to a remote server (TLS optional, the bearer token on
 * every call), or to an in-process server started on the local store, which this connection
 * then owns and stops on close. Both give the same stubs, so every command has one code path.
 */
public final class Connection implements AutoCloseable {

    private final ManagedChannel channel;
    private final OptbenchServer embedded;
    private final TrialStore store;
    private final CallCredentials credentials;
    private final int deadlineSeconds;
    private final String target;

    private Connection(ManagedChannel channel, OptbenchServer embedded, TrialStore store, CallCredentials credentials,
                       int deadlineSeconds, String target) {
        this.channel = channel;
        this.embedded = embedded;
        this.store = store;
        this.credentials = credentials;
        this.deadlineSeconds = deadlineSeconds;
        this.target = target;
    }

    /** Connects to {@code options.server()}. */
    public static Connection remote(ClientOptions options) throws java.io.IOException {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(options.server()).maxInboundMessageSize(64 << 20);
        if (options.tls()) {
            Path ca = options.tlsCa();
            if (ca != null) {
                b.sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build());
            }
            b.useTransportSecurity();
        } else {
            b.usePlaintext();
        }
        String token = options.token();
        return new Connection(b.build(), null, null, token == null ? null : new BearerToken(token), options.deadlineSeconds(),
                options.server());
    }

    /**
     * Starts an in-process server on {@code store} (owned by the connection from now on) whose
     * workers report over loopback; no token is needed. With {@code dashboardPort} (0: any free
     * port) it also serves the web dashboard on 127.0.0.1.
     */
    public static Connection embedded(TrialStore store, Path runsDir, TrialExecutors executors, Integer threadsPerTrial,
                                      int deadlineSeconds, Integer dashboardPort) throws java.io.IOException {
        OptbenchServer server = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                new SweepCoordinator.Setup(store, executors, ExecutorChoices.only(LocalExecutorSpec.defaults()),
                Datasets.none(), runsDir, threadsPerTrial), null, null, null, null, true, ServerLimits.defaults(),
                false, dashboardPort));
        return new Connection(server.inProcessChannel(), server, store, null, deadlineSeconds, "embedded (" + store.url() + ")");
    }

    /** Where the calls go, for messages. */
    public String target() {
        return target;
    }

    /** The login URL of the embedded server's dashboard, good for as many logins as asked while it runs. */
    public String dashboardLoginUrl() {
        if (embedded == null) {
            throw new IllegalStateException("only an embedded connection serves a dashboard");
        }
        return embedded.dashboardStandingUrl();
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** How many of the sweep's trials have finished (completed, diverged, stopped, failed or cancelled), from the embedded store. */
    public long finishedTrials(String sweepId) {
        if (store == null) {
            throw new IllegalStateException("only an embedded connection reads the store");
        }
        return store.trials(sweepId).stream().filter(t -> t.status().isFinished()).count();
    }

    /** A blocking stub whose calls carry the token and the deadline. */
    public SweepServiceGrpc.SweepServiceBlockingStub sweeps() {
        return stub(SweepServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    /** An asynchronous stub without a deadline, for client streams (uploads) whose length is the file's. */
    public SweepServiceGrpc.SweepServiceStub async() {
        return stub(SweepServiceGrpc.newStub(channel));
    }

    /** A blocking stub without a deadline, for watch streams that last as long as a sweep. */
    public SweepServiceGrpc.SweepServiceBlockingStub streams() {
        return stub(SweepServiceGrpc.newBlockingStub(channel));
    }

    private <S extends io.grpc.stub.AbstractStub<S>> S stub(S s) {
        return credentials == null ? s : s.withCallCredentials(credentials);
    }

    /**
     * Closes an embedded connection whose user interrupted sweep {@code sweepId}: the sweep is
     * marked paused by its user, then its runner stops, so a server started later on the same
     * store leaves it paused until it is resumed on purpose.
     */
    public void closePausing(String sweepId) throws InterruptedException {
        if (embedded != null) {
            store.sweep(sweepId).filter(SweepRow::running)
                    .ifPresent(r -> store.setSweepReason(sweepId, SweepRow.PAUSED_BY_USER));
        }
        close();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        if (embedded != null) {
            embedded.shutdown(5_000);
            store.close();
        }
    }
}
