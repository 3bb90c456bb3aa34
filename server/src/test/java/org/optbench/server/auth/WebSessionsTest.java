package org.optbench.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's sessions on a clock the test moves: one login per one-time token, sessions that
 * end when idle too long or too old, at logout, and a per-user cap that ends only that user's
 * oldest session.
 */
class WebSessionsTest {

    @TempDir
    Path dir;

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private WebSessions sessions() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "alice alice-token-0123456789\nbob bob-token-0123456789ab\n");
        return new WebSessions(TokenFile.load(tokens), WebSessions.operator(), clock);
    }

    @Test
    void theLoginTokenWorksOnceAndSessionsEndWhenIdleOldOrLoggedOut() throws Exception {
        WebSessions s = sessions();
        String token = s.newLoginToken();
        Optional<String> operator = s.login(token);
        assertTrue(operator.isPresent());
        assertEquals("operator", s.caller(operator.get()).orElseThrow().user());
        assertTrue(s.caller(operator.get()).orElseThrow().admin());
        assertTrue(s.login(token).isEmpty(), "the one-time token works once");
        assertTrue(s.login("not-a-token").isEmpty());

        String alice = s.login("alice-token-0123456789").orElseThrow();
        now = now.plus(WebSessions.IDLE.minus(Duration.ofMinutes(1)));
        assertTrue(s.caller(alice).isPresent(), "used within the idle time");
        now = now.plus(WebSessions.IDLE.minus(Duration.ofMinutes(1)));
        assertTrue(s.caller(alice).isPresent(), "each use renews the idle time");
        now = now.plus(WebSessions.IDLE.plusMinutes(1));
        assertTrue(s.caller(alice).isEmpty(), "idle too long");

        String young = s.login("alice-token-0123456789").orElseThrow();
        for (Duration d = Duration.ZERO; d.compareTo(WebSessions.LIFETIME) < 0; d = d.plus(WebSessions.IDLE.dividedBy(2))) {
            now = now.plus(WebSessions.IDLE.dividedBy(2));
            s.caller(young);
        }
        now = now.plusSeconds(1);
        assertTrue(s.caller(young).isEmpty(), "older than the lifetime, however used");

        String bob = s.login("bob-token-0123456789ab").orElseThrow();
        s.logout(bob);
        assertTrue(s.caller(bob).isEmpty(), "logged out");
    }

    @Test
    void oneUsersManyLoginsEndOnlyThatUsersOldest() throws Exception {
        WebSessions s = sessions();
        String bob = s.login("bob-token-0123456789ab").orElseThrow();
        List<String> alice = new ArrayList<>();
        for (int i = 0; i < WebSessions.MAX_SESSIONS_PER_USER + 5; i++) {
            alice.add(s.login("alice-token-0123456789").orElseThrow());
        }
        assertTrue(s.caller(bob).isPresent(), "another user's logins never end bob's session");
        long live = alice.stream().filter(id -> s.caller(id).isPresent()).count();
        assertEquals(WebSessions.MAX_SESSIONS_PER_USER, live);
        assertTrue(s.caller(alice.get(0)).isEmpty() && s.caller(alice.get(alice.size() - 1)).isPresent(), "the oldest end");
    }
}
