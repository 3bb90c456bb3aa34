package org.optbench.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's logins. The server mints one login token at start, printed in its login URL
 * and good for one login (a local user's dashboard has a standing one instead, good while it runs); any user's bearer token from the token file also logs in, as that
 * user. A login opens a session, named by a random id that the browser keeps in an HttpOnly
 * cookie; the dashboard's calls to the sweep service carry it, over the in-process transport
 * only, and run as the session's {@link Caller}. A session ends at logout, when its user's token
 * is revoked or expires, after {@link #IDLE} unused or {@link #LIFETIME} in all, and, beyond
 * {@link #MAX_SESSIONS_PER_USER} of one user's, when it is that user's oldest. Each session also
 * has a key ({@link #key}), which the dashboard's pages keep in their origin's storage and send
 * with every data request: a browser sends the cookie to every port of the host, but a page on
 * another port cannot read the key, so the cookie alone opens no data.
 */
public final class WebSessions {

    /** Sessions one user may hold; a new login beyond it ends that user's oldest. */
    static final int MAX_SESSIONS_PER_USER = 20;
    /** A session unused this long ends. */
    static final Duration IDLE = Duration.ofHours(12);
    /** A session ends this long after its login, used or not. */
    static final Duration LIFETIME = Duration.ofDays(7);

    /** One browser's login: who, when it began and when it was last used. */
    private static final class Session {
        final Caller caller;
        final Instant start;
        Instant used;

        Session(Caller caller, Instant now) {
            this.caller = caller;
            this.start = now;
            this.used = now;
        }
    }

    private final SecureRandom random = new SecureRandom();
    /** The secret that session keys are derived from; it lives as long as this server. */
    private final byte[] keySecret = new byte[32];
    private final TokenFile users;
    private final Caller loginTokenCaller;
    private final Clock clock;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private byte[] loginToken;
    private byte[] standingToken;

    /**
     * @param users            the user tokens that may log in, or null (the embedded server has none)
     * @param loginTokenCaller who the one-time login token logs in as: the local user of an
     *                         embedded study, the server's operator (an admin) otherwise
     */
    public WebSessions(TokenFile users, Caller loginTokenCaller) {
        this(users, loginTokenCaller, Clock.systemUTC());
    }

    WebSessions(TokenFile users, Caller loginTokenCaller, Clock clock) {
        this.users = users;
        this.loginTokenCaller = loginTokenCaller;
        this.clock = clock;
        random.nextBytes(keySecret);
    }

    /** The operator of a standalone server, whom its printed login URL logs in: an admin. */
    public static Caller operator() {
        return new Caller("operator", true, null, false, () -> true);
    }

    /** Mints a new one-time login token, replacing any unused one, and returns it. */
    public synchronized String newLoginToken() {
        String token = randomId();
        loginToken = token.getBytes(StandardCharsets.UTF_8);
        return token;
    }

    /**
     * The standing login token of a dashboard the local user runs on loopback ({@code optbench
     * dashboard}, {@code study --ui}): minted at the first call, it logs a browser in as often as
     * asked (a reload, a second tab or browser) for as long as this server runs.
     */
    public synchronized String standingLoginToken() {
        if (standingToken == null) {
            standingToken = randomId().getBytes(StandardCharsets.UTF_8);
        }
        return new String(standingToken, StandardCharsets.UTF_8);
    }

    /**
     * Opens a session for {@code token}: the unused one-time login token, the standing one, or a
     * user's bearer token. Returns the session id, or empty when the token is none of them.
     */
    public synchronized Optional<String> login(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        Caller caller = null;
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        if (loginToken != null && MessageDigest.isEqual(loginToken, given)) {
            loginToken = null;
            caller = loginTokenCaller;
        } else if (standingToken != null && MessageDigest.isEqual(standingToken, given)) {
            caller = loginTokenCaller;
        } else if (users != null) {
            caller = Caller.forToken(users, token).orElse(null);
        }
        if (caller == null) {
            return Optional.empty();
        }
        String user = caller.user();
        List<String> mine = sessions.entrySet().stream().filter(e -> e.getValue().caller.user().equals(user))
                .map(Map.Entry::getKey).toList();
        for (int i = 0; i <= mine.size() - MAX_SESSIONS_PER_USER; i++) {
            sessions.remove(mine.get(i));
        }
        String id = randomId();
        sessions.put(id, new Session(caller, clock.instant()));
        return Optional.of(id);
    }

    /** The caller of session {@code id}, while it lasts and its credential holds; an ended session is forgotten. */
    public synchronized Optional<Caller> caller(String id) {
        Session session = id == null ? null : sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!session.caller.stillValid() || now.isAfter(session.used.plus(IDLE)) || now.isAfter(session.start.plus(LIFETIME))) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.used = now;
        return Optional.of(session.caller);
    }

    /** The key of session {@code id}: HMAC-SHA256 of the id under this server's secret, base64url. */
    public String key(String id) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(keySecret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code key} is session {@code id}'s key (compared in constant time); false when either is missing. */
    public boolean keyMatches(String id, String key) {
        return id != null && key != null && MessageDigest.isEqual(key(id).getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh random token, for a login form's CSRF check. */
    public String formToken() {
        return randomId();
    }

    /** Ends session {@code id} (nothing when there is none). */
    public synchronized void logout(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private String randomId() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
