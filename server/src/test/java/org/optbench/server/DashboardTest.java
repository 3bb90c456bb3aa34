package org.optbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.SweepState;
import org.optbench.server.auth.TokenFile;
import org.optbench.sweep.Datasets;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.LocalExecutorSpec;
import org.optbench.sweep.store.TrialStore;

/**
 * The dashboard's HTTP side against a real server with scripted workers: logging in (a user's
 * token, the one-time token once, nothing else), the session cookie, per-user scoping of the JSON
 * API, a revoked token ending its sessions, thinned training curves, and a browser that stops
 * reading its event stream while the sweep floods it with events, which must not hold back the
 * sweep, the API or another browser's stream.
 */
class DashboardTest {

    private static final String ALICE = "alice-token-0123456789";
    private static final String BOB = "bob-token-0123456789ab";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private Path tokens;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private OptbenchServer start(ScriptedWorkers workers) throws Exception {
        return start(workers, null, null, 0);
    }

    private OptbenchServer start(ScriptedWorkers workers, Path cert, Path key, int httpPort) throws Exception {
        tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice " + ALICE + "\nbob " + BOB + " user\n");
        TrialStore store = TrialStore.sqlite(dir.resolve("runs/optbench.db"));
        open.add(store);
        OptbenchServer s = OptbenchServer.start(new OptbenchServer.Options("127.0.0.1", 0,
                new SweepCoordinator.Setup(store, spec -> workers, ExecutorChoices.only(LocalExecutorSpec.defaults()),
                Datasets.none(), dir.resolve("runs"), 1), null, TokenFile.load(tokens),
                cert == null ? null : cert.toFile(), key == null ? null : key.toFile(), false, ServerLimits.defaults(),
                false).withDashboard(httpPort));
        open.add(s);
        return s;
    }

    @Test
    void aTlsServerServesTheDashboardOverHttpsWithASecureCookie() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out",
                cert.toString()).redirectErrorStream(true).start();
        assertEquals(0, openssl.waitFor(), new String(openssl.getInputStream().readAllBytes()));
        OptbenchServer server = start(new ScriptedWorkers(1, 1, 1), cert, key, 0);
        String url = server.dashboardLoginUrl();
        assertTrue(url.startsWith("https://127.0.0.1:" + server.dashboardPort() + "/login?token="), url);
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER).build();
        String base = url.substring(0, url.indexOf("/login"));
        HttpResponse<String> r = postLogin(https, base, url.substring(url.indexOf("token=") + 6), null);
        assertEquals(303, r.statusCode(), r.body());
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("optbench_session_"))
                .findFirst().orElseThrow();
        assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly"), cookie);
        assertEquals("max-age=31536000", r.headers().firstValue("Strict-Transport-Security").orElse(""), "HSTS under TLS");
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> get(server, "/", (String) null),
                "no plain HTTP beside HTTPS");
    }

    @Test
    void aTakenPortIsNamedInTheError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            PortUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(PortUnavailableException.class,
                    () -> start(new ScriptedWorkers(1, 1, 1), null, null, taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " for the dashboard's port"), e.getMessage());
        }
    }

    private SweepServiceGrpc.SweepServiceBlockingStub as(OptbenchServer s, String token) {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext().build();
        open.add(c::shutdownNow);
        return SweepServiceGrpc.newBlockingStub(c).withCallCredentials(ServerTest.bearer(token))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A browser's login: its session cookie ("name=value") and the key its pages keep in the origin's storage. */
    record Session(String cookie, String key) {
    }

    /** A request with only a cookie (or none): what a listener on another port could replay. */
    private HttpResponse<String> get(OptbenchServer s, String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.dashboardPort() + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request as the dashboard's own pages make it: the cookie and the session key. */
    private HttpResponse<String> get(OptbenchServer s, String path, Session session) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.dashboardPort() + path))
                .header("Cookie", session.cookie()).header("X-Optbench-Key", session.key()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(OptbenchServer s, String path, String cookie, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.dashboardPort() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What a browser does with a login URL: GET the form (which sets its CSRF cookie), then POST it
     * back with the token and the form's CSRF token.
     */
    private static HttpResponse<String> postLogin(HttpClient client, String base, String token, String next) throws Exception {
        HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create(base + "/login?token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode(), form.body());
        assertTrue(form.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("optbench_session_")),
                "showing the form logs no one in");
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(csrf.find(), form.body());
        String cookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("optbench_login_"))
                .findFirst().orElseThrow();
        assertTrue(cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"), cookie);
        String body = "csrf=" + csrf.group(1) + "&token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)
                + (next == null ? "" : "&next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in with {@code token} as a browser does; returns the session. */
    private Session login(OptbenchServer s, String token) throws Exception {
        HttpResponse<String> r = postLogin(http, "http://127.0.0.1:" + s.dashboardPort(), token, null);
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/#key="), location);
        String setCookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("optbench_session_"))
                .findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), location.substring("/#key=".length()));
    }

    @Test
    void usersLogInWithTheirTokenOrTheOneTimeTokenAndSeeOnlyTheirSweeps() throws Exception {
        OptbenchServer server = start(new ScriptedWorkers(30, 1, 10));
        as(server, ALICE).createSweep(CreateSweepRequest.newBuilder().setYaml(ServerTest.spec("mine", 1, 1e-3)).build());
        as(server, BOB).createSweep(CreateSweepRequest.newBuilder().setYaml(ServerTest.spec("theirs", 1, 1e-2)).build());
        as(server, ALICE).createSweep(CreateSweepRequest.newBuilder().setYaml(ServerTest.spec("report", 1, 1e-3)).build());

        assertEquals(401, get(server, "/", (String) null).statusCode(), "no session: not logged in");
        assertEquals(401, get(server, "/api/sweeps", (String) null).statusCode());
        assertEquals(401, postLogin(http, "http://127.0.0.1:" + server.dashboardPort(), "not-a-token-at-all", null)
                .statusCode());
        assertEquals(403, post(server, "/login", null, "token=" + ALICE).statusCode(), "a login without the form's CSRF "
                + "token (another site's form) is refused");
        assertEquals(403, post(server, "/login", "optbench_login_" + server.dashboardPort() + "=forged", "token=" + ALICE
                + "&csrf=other").statusCode(), "and so is one whose CSRF token is not its cookie's");
        assertEquals(401, get(server, "/api/sweeps", "optbench_session_" + server.dashboardPort() + "=made-up").statusCode());
        assertEquals(200, get(server, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", (String) null).statusCode(),
                "the chart library is served by the server itself");

        Session alice = login(server, ALICE);
        assertTrue(alice.cookie().startsWith("optbench_session_" + server.dashboardPort() + "="), "the cookie names its dashboard");
        io.grpc.Metadata session = new io.grpc.Metadata();
        session.put(org.optbench.server.auth.AuthInterceptor.SESSION, alice.cookie().substring(alice.cookie().indexOf('=') + 1));
        ManagedChannel network = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        open.add(network::shutdownNow);
        io.grpc.StatusRuntimeException forged = org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> SweepServiceGrpc.newBlockingStub(network)
                        .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(session))
                        .listSweeps(org.optbench.proto.v1.ListSweepsRequest.getDefaultInstance()));
        assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, forged.getStatus().getCode(),
                "a session id over the network is no credential, even a valid one");
        String list = get(server, "/api/sweeps", alice).body();
        assertTrue(list.contains("\"name\":\"mine\""), list);
        HttpResponse<String> replayed = get(server, "/api/sweeps", alice.cookie());
        assertEquals(401, replayed.statusCode(), "the cookie alone, as a listener on another port of the host gets it, "
                + "opens no data");
        assertTrue(replayed.body().contains("session key"), replayed.body());
        assertEquals(401, get(server, "/sweeps/mine/report", alice.cookie()).statusCode(), "nor the report");
        assertEquals(401, get(server, "/api/sweeps", new Session(alice.cookie(), "a" + alice.key())).statusCode(),
                "nor a wrong key");
        assertFalse(list.contains("theirs"), list);
        HttpResponse<String> other = get(server, "/api/sweeps/theirs", alice);
        assertEquals(404, other.statusCode());
        assertTrue(other.body().startsWith("no sweep 'theirs'"), other.body());
        HttpResponse<String> page = get(server, "/sweeps/mine", alice.cookie());
        assertEquals(200, page.statusCode(), "a page's shell holds no data: the cookie is enough");
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self';"), policy);
        assertFalse(page.body().contains("<script>"), "no inline script: " + page.body());
        HttpResponse<String> report = get(server, "/sweeps/mine/report", alice);
        assertEquals(200, report.statusCode());
        assertTrue(report.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"),
                "the report runs sandboxed, away from the session");
        HttpResponse<String> slash = get(server, "/sweeps/mine/report/", alice);
        assertEquals(200, slash.statusCode());
        assertTrue(slash.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"),
                "the report's route decides its sandbox, a trailing slash included");
        HttpResponse<String> named = get(server, "/sweeps/report", alice);
        assertEquals(200, named.statusCode());
        assertTrue(named.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"),
                "a sweep named report has the dashboard's own page, not the sandbox");
        String base = "http://127.0.0.1:" + server.dashboardPort();
        HttpResponse<String> deep = postLogin(http, base, ALICE, "/sweeps/mine");
        assertTrue(deep.headers().firstValue("Location").orElseThrow().startsWith("/sweeps/mine#key="),
                "a login may lead to a page");
        HttpResponse<String> away = postLogin(http, base, ALICE, "//evil.example/x");
        assertTrue(away.headers().firstValue("Location").orElseThrow().startsWith("/#key="), "but never to another site");

        String url = server.dashboardLoginUrl();
        String oneTime = url.substring(url.indexOf("token=") + 6);
        Session operator = login(server, oneTime);
        String all = get(server, "/api/sweeps", operator).body();
        assertTrue(all.contains("\"name\":\"mine\"") && all.contains("\"name\":\"theirs\""), "the operator is an admin: " + all);
        assertEquals(401, postLogin(http, base, oneTime, null).statusCode(), "the one-time token works once");
        assertEquals(405, get(server, "/logout", operator).statusCode(), "a GET (a link or an image on another site) "
                + "logs no one out");
        assertEquals(403, post(server, "/logout", operator.cookie(), "").statusCode(), "nor a POST without the page's key");
        assertEquals(200, get(server, "/api/sweeps", operator).statusCode());
        assertEquals(200, post(server, "/logout", operator.cookie(), "key=" + operator.key()).statusCode());
        assertEquals(401, get(server, "/api/sweeps", operator).statusCode(), "logging out ends the session");

        Files.writeString(tokens, "bob " + BOB + " user\n");
        Files.setLastModifiedTime(tokens, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        long deadline = System.currentTimeMillis() + 10_000;
        while (get(server, "/api/sweeps", alice).statusCode() != 401 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(401, get(server, "/api/sweeps", alice).statusCode(), "revoking alice's token ends her session");
        assertEquals(401, postLogin(http, base, ALICE, null).statusCode());
    }

    @Test
    void sweepPagesGetTrainingCurvesThinnedToABound() throws Exception {
        OptbenchServer server = start(new ScriptedWorkers(1000, 0, 500));
        var alice = as(server, ALICE);
        alice.createSweep(CreateSweepRequest.newBuilder().setYaml(ServerTest.spec("long", 1, 1e-3)).build());
        long deadline = System.currentTimeMillis() + 60_000;
        while (alice.getSweep(GetSweepRequest.newBuilder().setSweepId("long").build()).getState()
                != SweepState.SWEEP_STATE_COMPLETED && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        var trial = alice.getResults(GetResultsRequest.newBuilder().setSweepId("long").setTrainPoints(300).build()).getTrials(0);
        assertEquals(300, trial.getStepsCount());
        assertEquals(1, trial.getSteps(0).getStep());
        assertEquals(1000, trial.getSteps(299).getStep(), "the last step is always kept");
        assertEquals(0, alice.getResults(GetResultsRequest.newBuilder().setSweepId("long").build()).getTrials(0).getStepsCount());
        var tooMany = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class, () -> alice.getResults(
                GetResultsRequest.newBuilder().setSweepId("long").setTrainPoints(1_000_000).build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, tooMany.getStatus().getCode());
        String json = get(server, "/api/sweeps/long", login(server, ALICE)).body();
        assertTrue(json.contains("\"step\":1000"), "the dashboard's sweep JSON carries the curve");
    }

    @Test
    void aBrowserThatStopsReadingHoldsBackNothingElse() throws Exception {
        OptbenchServer server = start(new ScriptedWorkers(3000, 0, 1));
        Session session = login(server, ALICE);
        String cookie = session.cookie();
        String key = "?key=" + session.key();
        var alice = as(server, ALICE);
        alice.createSweep(CreateSweepRequest.newBuilder().setYaml(ServerTest.spec("flood", 2, 1e-3, 1e-2)).build());

        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(1024);
        stalled.connect(new InetSocketAddress("127.0.0.1", server.dashboardPort()));
        open.add(stalled);
        OutputStream req = stalled.getOutputStream();
        req.write(("GET /api/sweeps/flood/events" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: "
                + cookie + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        req.flush();
        long opened = System.currentTimeMillis() + 10_000;
        while (server.openStreams("alice") != 1 && System.currentTimeMillis() < opened) {
            Thread.sleep(5);
        }
        assertEquals(1, server.openStreams("alice"), "the stalled browser's stream is open");

        Socket reader = new Socket("127.0.0.1", server.dashboardPort());
        reader.setSoTimeout(120_000);
        open.add(reader);
        reader.getOutputStream().write(("GET /api/sweeps/flood/events" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream"
                + "\r\nCookie: " + cookie + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        BufferedReader in = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
        int events = 0;
        boolean done = false;
        long slowest = 0;
        String line;
        while (!done && (line = in.readLine()) != null) {
            if (line.startsWith("event: ")) {
                events++;
                done = line.equals("event: done");
                if (events % 500 == 0) {
                    long t0 = System.nanoTime();
                    alice.getSweep(GetSweepRequest.newBuilder().setSweepId("flood").build());
                    slowest = Math.max(slowest, System.nanoTime() - t0);
                }
            }
        }
        assertTrue(done, "the reading browser follows the sweep to its end (" + events + " events)");
        assertTrue(events > 1000, events + " events");
        assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(2000), "GetSweep took " + slowest / 1e6 + " ms at worst");
        assertEquals(SweepState.SWEEP_STATE_COMPLETED, alice.getSweep(GetSweepRequest.newBuilder().setSweepId("flood").build())
                .getState());
        long released = System.currentTimeMillis() + 10_000;
        while (server.openStreams("alice") > 1 && System.currentTimeMillis() < released) {
            Thread.sleep(20);   // the reader's own stream is released on another thread after its last event
        }
        assertEquals(1, server.openStreams("alice"), "the stalled browser's stream is still held back, not finished");
        stalled.close();
        long deadline = System.currentTimeMillis() + 30_000;
        while (server.openStreams("alice") != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, server.openStreams("alice"), "a browser that leaves releases its stream");
    }
}
