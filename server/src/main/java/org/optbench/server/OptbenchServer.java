package org.optbench.server;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.server.auth.AuthInterceptor;
import org.optbench.server.auth.Caller;
import org.optbench.server.auth.TokenFile;
import org.optbench.server.auth.WebSessions;
import org.optbench.server.web.Dashboard;
import org.optbench.sweep.SweepCoordinator;

/**
 * The optbench server: the sweep and worker services over one trial store, with bearer-token
 * auth, the gRPC health service and server reflection, size and stream limits, and graceful
 * shutdown. It listens on TCP (TLS when given a certificate) and, for the CLI's embedded mode, on
 * an in-process transport where the local user needs no token. On start it can resume the sweeps
 * a previous server left running, and those their users interrupted only when told to (a
 * standalone server does; the CLI's embedded server resumes only the sweep it is asked to run). With an HTTP port it also serves the web dashboard
 * ({@link Dashboard}) on the same address.
 */
public final class OptbenchServer implements AutoCloseable {

    /**
     * How to run the server.
     *
     * @param bindHost      the address to listen on (127.0.0.1 for loopback only)
     * @param port          the TCP port, 0 for any free one
     * @param sweeps        the trial store (owned by the caller), executors and the executors a spec may
     *                      choose, the data sets a remote spec may name, the runs directory, and kernel
     *                      threads per trial (null for processors / parallel)
     * @param advertise     host:port workers report to, or null for the bound address and port
     * @param tokens        user tokens, or null (embedded: only in-process callers)
     * @param tlsCert       PEM certificate chain, or null for plaintext
     * @param tlsKey        PEM private key, or null
     * @param embedded      whether in-process calls run as the local admin without a token (the CLI's
     *                      embedded mode, whose user owns the machine: it may also fetch the default corpus)
     * @param limits        request and stream limits
     * @param resumeOnStart whether to resume the sweeps a previous server or runner left running
     * @param httpPort      the web dashboard's port on the same address (0: any free one), or null for no
     *                      dashboard
     * @param resumePaused  with resumeOnStart, whether to resume the sweeps their users interrupted too
     */
    public record Options(String bindHost, int port, SweepCoordinator.Setup sweeps, String advertise, TokenFile tokens,
                          File tlsCert, File tlsKey, boolean embedded, ServerLimits limits, boolean resumeOnStart,
                          Integer httpPort, boolean resumePaused) {

        /** Options without the web dashboard. */
        public Options(String bindHost, int port, SweepCoordinator.Setup sweeps, String advertise, TokenFile tokens,
                       File tlsCert, File tlsKey, boolean embedded, ServerLimits limits, boolean resumeOnStart) {
            this(bindHost, port, sweeps, advertise, tokens, tlsCert, tlsKey, embedded, limits, resumeOnStart, null);
        }

        /** Options that leave the sweeps their users interrupted paused. */
        public Options(String bindHost, int port, SweepCoordinator.Setup sweeps, String advertise, TokenFile tokens,
                       File tlsCert, File tlsKey, boolean embedded, ServerLimits limits, boolean resumeOnStart,
                       Integer httpPort) {
            this(bindHost, port, sweeps, advertise, tokens, tlsCert, tlsKey, embedded, limits, resumeOnStart, httpPort,
                    false);
        }

        /** These options with the web dashboard on {@code dashboardPort} (0: any free one). */
        public Options withDashboard(int dashboardPort) {
            return new Options(bindHost, port, sweeps, advertise, tokens, tlsCert, tlsKey, embedded, limits, resumeOnStart,
                    dashboardPort, resumePaused);
        }
    }

    private final Options options;
    private final EventHub hub;
    private final SweepCoordinator sweeps;
    private final SweepPublisher publisher;
    private final HealthStatusManager health = new HealthStatusManager();
    private final String inProcessName = "optbench-" + UUID.randomUUID();
    private final WebSessions webSessions;
    private Server network;
    private Server inProcess;
    private Dashboard dashboard;
    private ManagedChannel dashboardChannel;
    private ExecutorService dashboardCalls;
    private SweepCoordinator.Resumption resumption = new SweepCoordinator.Resumption(java.util.List.of(),
            java.util.List.of());

    private OptbenchServer(Options options) {
        this.options = options;
        this.webSessions = options.httpPort() == null ? null
                : new WebSessions(options.tokens(), options.embedded() ? Caller.localUser() : WebSessions.operator());
        this.hub = new EventHub(options.limits().maxStreamsPerUser(), options.limits().watchQueue());
        this.publisher = new SweepPublisher(hub);
        this.sweeps = new SweepCoordinator(options.sweeps(), options.limits().maxTrialsPerSweep(), options.embedded(),
                publisher);
        publisher.publishing(sweeps);
        ServerLimits limits = options.limits();
        sweeps.limitWorkers(limits.maxWorkers(), limits.userMaxWorkers(), limits.maxWorkerMemory());
        sweeps.limitUsers(options.limits().userMaxSweeps(), options.limits().userMaxTrials());
        sweeps.limitUploads(options.limits().userMaxUploadBytes());
        if (options.tokens() != null) {
            sweeps.quotasFrom(options.tokens()::quotaOf);
        }
    }

    /** What the server resumed at start, and which sweeps it left paused for their users. */
    public SweepCoordinator.Resumption resumption() {
        return resumption;
    }

    /** Starts listening and resumes interrupted sweeps. */
    public static OptbenchServer start(Options options) throws IOException {
        OptbenchServer s = new OptbenchServer(options);
        s.listen();
        return s;
    }

    private void listen() throws IOException {
        AuthInterceptor auth = new AuthInterceptor(options.tokens(), sweeps::isWorkerToken, options.embedded(), webSessions);
        BindableService[] services = {new SweepService(sweeps, publisher, hub, new Artifacts(sweeps),
                new WeightUploads(sweeps, options.limits().maxUploadBytes())),
            new WorkerService(sweeps, hub, options.limits())};
        NettyServerBuilder net = NettyServerBuilder.forAddress(new InetSocketAddress(options.bindHost(), options.port()))
                .maxInboundMessageSize(options.limits().maxMessageBytes())
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        if (options.tlsCert() != null) {
            net.useTransportSecurity(options.tlsCert(), options.tlsKey());
        }
        InProcessServerBuilder local = InProcessServerBuilder.forName(inProcessName)
                .maxInboundMessageSize(options.limits().maxMessageBytes())
                .addService(health.getHealthService());
        QuietTransportLog.install();
        MalformedRequests malformed = new MalformedRequests();
        for (BindableService service : services) {
            ServerServiceDefinition guarded = ServerInterceptors.intercept(
                    ServerInterceptors.useInputStreamMessages(ServerInterceptors.intercept(service, auth)), malformed);
            net.addService(guarded);
            local.addService(guarded);
        }
        inProcess = local.build().start();
        try {
            if (options.httpPort() != null) {
                startDashboard();
            }
            network = bind(net.build(), options.port(), "the gRPC port");
        } catch (RuntimeException | IOException e) {
            stopDashboard();
            inProcess.shutdownNow();
            throw e;
        }
        sweeps.reportTo(options.advertise() != null ? options.advertise() : reportHost() + ":" + port(),
                options.tlsCert() == null ? null : java.nio.file.Files.readString(options.tlsCert().toPath()));
        health.setStatus(SweepServiceGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        if (options.resumeOnStart()) {
            resumption = sweeps.resumeInterrupted(options.resumePaused());
        }
    }

    private void startDashboard() throws IOException {
        dashboardCalls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "optbench-dashboard-calls");
            t.setDaemon(true);
            return t;
        });
        dashboardChannel = InProcessChannelBuilder.forName(inProcessName).executor(dashboardCalls)
                .maxInboundMessageSize(256 << 20).build();
        try {
            dashboard = Dashboard.start(options.bindHost(), options.httpPort(), dashboardChannel, dashboardCalls, webSessions,
                    sweeps::writeReport, options.tlsCert() == null ? null : DashboardTls.context(options.tlsCert(), options.tlsKey()));
        } catch (io.javalin.util.JavalinBindException e) {
            throw new PortUnavailableException(options.bindHost(), options.httpPort(), "the dashboard's port", e);
        }
    }

    private void stopDashboard() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (dashboardChannel != null) {
            dashboardChannel.shutdownNow();
            dashboardCalls.shutdownNow();
        }
    }

    private Server bind(Server server, int port, String what) throws IOException {
        try {
            return server.start();
        } catch (IOException e) {
            if (e.getCause() instanceof java.net.BindException || String.valueOf(e.getMessage()).contains("Failed to bind")) {
                throw new PortUnavailableException(options.bindHost(), port, what, e);
            }
            throw e;
        }
    }

    /**
     * A URL that logs a browser into the dashboard once, as the operator (the local user of an
     * embedded study): a fresh one-time token each call, replacing the last unused one.
     */
    public String dashboardLoginUrl() {
        if (dashboard == null) {
            throw new IllegalStateException("the server runs no dashboard");
        }
        return (dashboard.secure() ? "https://" : "http://") + hostForUrls() + ":" + dashboard.port() + "/login?token=" + webSessions.newLoginToken();
    }

    /**
     * A URL that logs a browser into the dashboard as often as asked while this server runs (the
     * local user's dashboard on loopback): reloads, new tabs and a second browser all get in.
     */
    public String dashboardStandingUrl() {
        if (dashboard == null) {
            throw new IllegalStateException("the server runs no dashboard");
        }
        return (dashboard.secure() ? "https://" : "http://") + hostForUrls() + ":" + dashboard.port() + "/login?token="
                + webSessions.standingLoginToken();
    }

    /** The dashboard's port (it needs {@code httpPort} in the options). */
    public int dashboardPort() {
        return dashboard.port();
    }

    private String hostForUrls() {
        String host = reportHost();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private String reportHost() {
        String host = options.bindHost();
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** The TCP port the server listens on. */
    public int port() {
        return network.getPort();
    }

    /** Watch streams {@code user} holds open now. */
    public int openStreams(String user) {
        return hub.openStreams(user);
    }

    /** A channel to this server over the in-process transport (the embedded client's channel). */
    public ManagedChannel inProcessChannel() {
        return InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
    }

    /**
     * Stops taking calls, lets calls in flight finish for up to {@code deadlineMillis}, then
     * forces the rest; sweeps stop driving their trials (the next server resumes them).
     */
    public synchronized void shutdown(long deadlineMillis) throws InterruptedException {
        if (network.isShutdown()) {
            return;
        }
        health.enterTerminalState();
        stopDashboard();
        network.shutdown();
        inProcess.shutdown();
        hub.close();
        sweeps.close();
        long end = System.currentTimeMillis() + deadlineMillis;
        if (!network.awaitTermination(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
            network.shutdownNow();
        }
        if (!inProcess.awaitTermination(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
            inProcess.shutdownNow();
        }
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        network.awaitTermination();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(5_000);
    }
}
