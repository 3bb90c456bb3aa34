package org.optbench.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's logins. The server mints one login token at start, printed in its login URL
 * and good for one login; any user's bearer token from the token file also logs in, as that
 * user. A login opens a session, named by a random id that the browser keeps in an HttpOnly
 * cookie; the dashboard's calls to the sweep service carry it, over the in-process transport
 * only, and run as the session's {@link Caller}. A session ends when its user's token is revoked
 * or expires; the oldest sessions are dropped beyond {@link #MAX_SESSIONS}.
 */
public final class WebSessions {

    /** Sessions kept at most; a new login beyond it ends the oldest. */
    static final int MAX_SESSIONS = 1000;

    private final SecureRandom random = new SecureRandom();
    private final TokenFile users;
    private final Caller loginTokenCaller;
    private final Map<String, Caller> sessions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Caller> eldest) {
            return size() > MAX_SESSIONS;
        }
    };
    private byte[] loginToken;

    /**
     * @param users            the user tokens that may log in, or null (the embedded server has none)
     * @param loginTokenCaller who the one-time login token logs in as: the local user of an
     *                         embedded study, the server's operator (an admin) otherwise
     */
    public WebSessions(TokenFile users, Caller loginTokenCaller) {
        this.users = users;
        this.loginTokenCaller = loginTokenCaller;
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
     * Opens a session for {@code token}: the unused one-time login token, or a user's bearer
     * token. Returns the session id, or empty when the token is neither.
     */
    public synchronized Optional<String> login(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        Caller caller = null;
        if (loginToken != null && MessageDigest.isEqual(loginToken, token.getBytes(StandardCharsets.UTF_8))) {
            loginToken = null;
            caller = loginTokenCaller;
        } else if (users != null) {
            Optional<TokenFile.Entry> entry = users.lookup(token);
            if (entry.isPresent()) {
                caller = new Caller(entry.get().user(), entry.get().admin(), null, false, () -> users.lookup(token).isPresent());
            }
        }
        if (caller == null) {
            return Optional.empty();
        }
        String id = randomId();
        sessions.put(id, caller);
        return Optional.of(id);
    }

    /** The caller of session {@code id}, while its credential holds; an ended session is forgotten. */
    public synchronized Optional<Caller> caller(String id) {
        Caller caller = id == null ? null : sessions.get(id);
        if (caller == null) {
            return Optional.empty();
        }
        if (!caller.stillValid()) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(caller);
    }

    private String randomId() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
