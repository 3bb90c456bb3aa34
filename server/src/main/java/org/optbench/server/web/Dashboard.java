package org.optbench.server.web;

import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.ListSweepsRequest;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.WatchSweepRequest;
import org.optbench.server.auth.AuthInterceptor;
import org.optbench.server.auth.WebSessions;

/**
 * The live web dashboard, served by Javalin beside the gRPC port: the sweeps list, a page per
 * sweep (trials with live state, training and validation curves, loss against the learning rate,
 * the claims, the HTML report) and a page per trial (curves, settings, log tail). It holds no
 * data of its own: every page and JSON answer is a call to the sweep service over the in-process
 * transport, made as the browser's session user, so ownership and revocation are the API's; live
 * updates are the service's watch stream relayed as Server-Sent Events ({@link EventStream}).
 * Charts are drawn by uPlot from its WebJar, so nothing is fetched from outside the server.
 */
public final class Dashboard implements AutoCloseable {

    /** The session cookie's name before its port: cookies are per host, so each dashboard names its own. */
    public static final String COOKIE_PREFIX = "optbench_session_";
    /** Training points per trial that sweep pages load (live points are added as they arrive). */
    static final int TRAIN_POINTS = 400;
    /** Bytes of a trial's log shown on its page. */
    static final int LOG_TAIL_BYTES = 16 * 1024;

    private static final String PAGES = "/org/optbench/server/web/";
    private static final String SHELL = shell();
    private static final String HOW_TO_LOG_IN = "Open the login URL the server printed at start (each works once), or "
            + "/login?token=YOUR_TOKEN with your API token.";
    /** The header (or query parameter, for event streams and the report) that carries the session's key. */
    public static final String KEY_HEADER = "X-Optbench-Key";
    private static final String LOGIN_PAGE = resource("login.html");
    /** Where a login may go next: a path of this dashboard, never another site. */
    private static final Pattern LOCAL_PATH = Pattern.compile("/(?!/)[A-Za-z0-9/_.-]{0,200}");

    /** Writes a sweep's report into a directory and returns its HTML file. */
    @FunctionalInterface
    public interface Reports {
        Path write(String sweepId, Path dir) throws IOException;
    }

    private final ManagedChannel channel;
    private final Reports reports;
    private final WebSessions sessions;
    private final EventStreams streams;
    private final Javalin app;
    private final boolean secure;

    private Dashboard(ManagedChannel channel, Executor writers, WebSessions sessions, Reports reports, String host, int port,
                      SSLContext tls) {
        this.channel = channel;
        this.reports = reports;
        this.streams = new EventStreams(writers);
        this.sessions = sessions;
        this.secure = tls != null;
        this.app = Javalin.create(config -> {
            if (tls != null) {
                config.jetty.addConnector((server, http) -> httpsConnector(server, http, tls, host, port));
            }
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.staticFiles.enableWebjars();
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = PAGES + "static";
                files.location = Location.CLASSPATH;
            });
            config.routes.get("/login", this::loginForm);
            config.routes.post("/login", this::login);
            config.routes.get("/logout", ctx -> ctx.status(405).contentType(ContentType.TEXT_PLAIN).result("Log out with the "
                    + "dashboard's Log out button (a POST with the page's session key), so that no other site can log you "
                    + "out."));
            config.routes.post("/logout", this::logout);
            config.routes.after(this::securityHeaders);
            config.routes.before(this::requireSession);
            config.routes.get("/", ctx -> page(ctx, "sweeps"));
            config.routes.get("/sweeps/{sweep}", ctx -> page(ctx, "sweep"));
            config.routes.get("/sweeps/{sweep}/trials/{trial}", ctx -> page(ctx, "trial"));
            config.routes.get("/sweeps/{sweep}/report", this::report);
            config.routes.get("/api/sweeps", ctx -> json(ctx, stub(ctx).listSweeps(ListSweepsRequest.newBuilder()
                    .setPageSize(1000).build())));
            config.routes.get("/api/sweeps/{sweep}", ctx -> json(ctx, stub(ctx).getResults(GetResultsRequest.newBuilder()
                    .setSweepId(ctx.pathParam("sweep")).setCurves(true).setTrainPoints(TRAIN_POINTS).build())));
            config.routes.get("/api/sweeps/{sweep}/trials/{trial}/log", ctx -> ctx.contentType(ContentType.TEXT_PLAIN)
                    .result(LogTail.read(stub(ctx), ctx.pathParam("sweep"), ctx.pathParam("trial"), LOG_TAIL_BYTES)));
            config.routes.sse("/api/sweeps/{sweep}/events", client -> {
                client.keepAlive();
                Metadata session = sessionHeader(client.ctx());
                streams.open(client, SweepServiceGrpc.newStub(channel).withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(session)), WatchSweepRequest.newBuilder()
                        .setSweepId(client.ctx().pathParam("sweep")).setSteps(true).build());
            });
            config.routes.exception(StatusRuntimeException.class, (e, ctx) -> {
                ctx.status(HttpStatuses.of(e.getStatus())).contentType(ContentType.TEXT_PLAIN)
                        .result(Optional.ofNullable(e.getStatus().getDescription()).orElse(e.getStatus().getCode().toString()));
            });
        });
    }

    /**
     * Starts the dashboard on {@code host:port} (0: any free port) over {@code channel}, an
     * in-process channel to the server's sweep service with {@code writers} as its executor (also
     * the keep-alive writes' executor), with {@code reports} writing a sweep's report once the
     * user's own call has shown they may see it; over HTTPS when {@code tls} is given (the server's
     * own certificate), else plain HTTP.
     */
    public static Dashboard start(String host, int port, ManagedChannel channel, Executor writers, WebSessions sessions,
                                  Reports reports, SSLContext tls) {
        Dashboard d = new Dashboard(channel, writers, sessions, reports, host, port, tls);
        if (tls == null) {
            d.app.start(host, port);
        } else {
            d.app.start();
        }
        return d;
    }

    private static Connector httpsConnector(Server server, HttpConfiguration http, SSLContext tls, String host, int port) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(tls);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(factory, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** Whether the dashboard speaks HTTPS. */
    public boolean secure() {
        return secure;
    }

    /** The port the dashboard listens on. */
    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    /** Watch streams the dashboard relays now. */
    public int openStreams() {
        return streams.open();
    }

    /**
     * The login form, with a CSRF token that must come back with it (kept in a cookie that only a
     * same-site form post to /login carries); given a token in the URL, the page's script submits it
     * at once, so a printed login URL still logs in with one click.
     */
    private void loginForm(Context ctx) {
        String csrf = sessions.formToken();
        ctx.cookie(new Cookie(loginCookieName(), csrf, "/login", -1, secure, true, null, SameSite.STRICT));
        ctx.contentType(ContentType.TEXT_HTML).result(LOGIN_PAGE.replace("{{csrf}}", csrf)
                .replace("{{token}}", attribute(ctx.queryParam("token"))).replace("{{next}}", attribute(ctx.queryParam("next"))));
    }

    /**
     * A login (POST, from this dashboard's form): the form's CSRF token must match its cookie, then
     * the token opens a session; the answer sets the session cookie and sends the browser to the
     * page asked for, with the session's key in the URL's fragment, which the page moves into its
     * origin's storage (a fragment is never sent to a server).
     */
    private void login(Context ctx) {
        String csrf = ctx.formParam("csrf");
        String expected = ctx.cookie(loginCookieName());
        if (csrf == null || expected == null || !java.security.MessageDigest.isEqual(
                csrf.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            ctx.status(403).contentType(ContentType.TEXT_PLAIN).result("This login did not come from this dashboard's login "
                    + "form (or the form expired). " + HOW_TO_LOG_IN);
            return;
        }
        ctx.removeCookie(loginCookieName(), "/login");
        Optional<String> session = sessions.login(ctx.formParam("token"));
        if (session.isEmpty()) {
            ctx.status(401).contentType(ContentType.TEXT_PLAIN).result("This login token is not valid or was already used. "
                    + HOW_TO_LOG_IN);
            return;
        }
        ctx.cookie(new Cookie(cookieName(), session.get(), "/", -1, secure, true, null, SameSite.LAX));
        String next = ctx.formParam("next");
        ctx.redirect((next != null && LOCAL_PATH.matcher(next).matches() ? next : "/") + "#key="
                + sessions.key(session.get()), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void requireSession(Context ctx) {
        String path = ctx.path();
        if (path.equals("/login") || path.equals("/logout") || path.startsWith("/static/") || path.startsWith("/webjars/")) {
            return;
        }
        String session = ctx.cookie(cookieName());
        if (sessions.caller(session).isEmpty()) {
            ctx.status(401).contentType(ContentType.TEXT_PLAIN).result("Not logged in. " + HOW_TO_LOG_IN);
            ctx.skipRemainingHandlers();
        } else if (path.startsWith("/api/") && !sessions.keyMatches(session, key(ctx))) {
            ctx.status(401).contentType(ContentType.TEXT_PLAIN).result(NO_KEY);
            ctx.skipRemainingHandlers();
        }
    }

    private static final String NO_KEY = "This request lacks its page's session key: the session cookie alone opens no "
            + "data (a browser sends it to every port of this host). " + HOW_TO_LOG_IN;

    /** The session key a request carries: its header, or the query parameter of an event stream or the report. */
    private static String key(Context ctx) {
        String header = ctx.header(KEY_HEADER);
        return header != null ? header : ctx.queryParam("key");
    }

    /** Logs out (POST with the session's key, which no other site or port has): ends the session and forgets the cookie. */
    private void logout(Context ctx) {
        String session = ctx.cookie(cookieName());
        String key = ctx.formParam("key") != null ? ctx.formParam("key") : key(ctx);
        if (session != null && !sessions.keyMatches(session, key)) {
            ctx.status(403).contentType(ContentType.TEXT_PLAIN).result("Log out with the dashboard's Log out button.");
            return;
        }
        sessions.logout(session);
        ctx.removeCookie(cookieName(), "/");
        ctx.contentType(ContentType.TEXT_PLAIN).result("Logged out. " + HOW_TO_LOG_IN);
    }

    /** The login form's CSRF cookie of this dashboard, named after its port as the session cookie is. */
    private String loginCookieName() {
        return "optbench_login_" + port();
    }

    /** {@code text} safe inside an HTML attribute value (empty for null). */
    private static String attribute(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The session cookie of this dashboard: its name carries the port, so dashboards on one host keep apart. */
    String cookieName() {
        return COOKIE_PREFIX + port();
    }

    /**
     * Headers on every answer: no MIME sniffing, no framing by other sites, scripts only from the
     * dashboard's own files (no inline script), HSTS under TLS; the report's route sets its own
     * policy first (its HTML holds user-named things, so it runs sandboxed: its own scripts, no
     * access to the dashboard's origin or cookie).
     */
    private void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        if (secure) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        if (!ctx.res().containsHeader(CSP)) {
            ctx.header(CSP, "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    + "script-src 'self'; frame-ancestors 'none'");
        }
    }

    private static final String CSP = "Content-Security-Policy";
    /** The report's policy, set by its route (whatever the path's spelling): sandboxed, its own scripts only. */
    private static final String REPORT_CSP = "sandbox allow-scripts; frame-ancestors 'none'";

    /** The session the dashboard's call runs as: the cookie's, and only with the page's key (UNAUTHENTICATED else). */
    private Metadata sessionHeader(Context ctx) {
        String session = ctx.cookie(cookieName());
        if (!sessions.keyMatches(session, key(ctx))) {
            throw io.grpc.Status.UNAUTHENTICATED.withDescription(NO_KEY).asRuntimeException();
        }
        Metadata m = new Metadata();
        m.put(AuthInterceptor.SESSION, session);
        return m;
    }

    private SweepServiceGrpc.SweepServiceBlockingStub stub(Context ctx) {
        return SweepServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                sessionHeader(ctx))).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** The one HTML shell of every page; the script draws the page its body names. */
    private static void page(Context ctx, String name) {
        ctx.contentType(ContentType.TEXT_HTML).result(SHELL.replace("{{page}}", name));
    }

    private static String shell() {
        return resource("page.html");
    }

    private static String resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(PAGES + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the dashboard's " + name + " is missing from the jar", e);
        }
    }

    private static void json(Context ctx, Message message) {
        ctx.contentType(ContentType.APPLICATION_JSON).result(ProtoJson.print(message));
    }

    /**
     * The sweep's HTML report: the user's GetSweep call decides whether they may see it (another
     * user's sweep is NOT_FOUND) and names it by id, and the server's sweeps write its report.
     */
    private void report(Context ctx) throws IOException {
        ctx.header(CSP, REPORT_CSP);
        String id = stub(ctx).getSweep(GetSweepRequest.newBuilder().setSweepId(ctx.pathParam("sweep")).build()).getId();
        Path dir = Files.createTempDirectory("optbench-report");
        try {
            ctx.contentType(ContentType.TEXT_HTML).result(Files.readString(reports.write(id, dir)));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public void close() {
        streams.close();
        app.stop();
    }
}
