package org.optbench.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's user tokens: one {@code user token [role] [expires=INSTANT]} per line, role
 * {@code user} (the default) or {@code admin}, {@code #} starting a comment. The file is read
 * again when it changes (checked at most once a second), so removing a line revokes its token
 * without a restart. A line that does not parse is an error naming the file and line; while the
 * server runs, a broken edit keeps the previous tokens and is reported once.
 */
public final class TokenFile {

    /** A token's holder, role and optional expiry. */
    public record Entry(String user, boolean admin, Instant expires) {
    }

    private final Path file;
    private volatile Map<String, Entry> tokens;
    private volatile long modified;
    private volatile long checkedAt;

    private TokenFile(Path file, Map<String, Entry> tokens, long modified) {
        this.file = file;
        this.tokens = tokens;
        this.modified = modified;
    }

    /** Reads {@code file}; errors name the file and line. */
    public static TokenFile load(Path file) {
        try {
            return new TokenFile(file, parse(file, Files.readAllLines(file, StandardCharsets.UTF_8)),
                    Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Entry> parse(Path file, List<String> lines) {
        Map<String, Entry> map = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            if (f.length < 2 || f.length > 4) {
                throw new IllegalArgumentException(where + ": expected 'user token [role] [expires=INSTANT]'");
            }
            boolean admin = false;
            Instant expires = null;
            for (int k = 2; k < f.length; k++) {
                if (f[k].startsWith("expires=")) {
                    try {
                        expires = Instant.parse(f[k].substring("expires=".length()));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(where + ": expiry '" + f[k] + "' is not an ISO instant such as "
                                + "expires=2027-01-31T00:00:00Z");
                    }
                } else if (f[k].equals("admin") || f[k].equals("user")) {
                    admin = f[k].equals("admin");
                } else {
                    throw new IllegalArgumentException(where + ": role '" + f[k] + "' must be user or admin");
                }
            }
            if (f[1].length() < 16) {
                throw new IllegalArgumentException(where + ": the token of " + f[0] + " is shorter than 16 characters; "
                        + "make one with 'openssl rand -hex 24'");
            }
            if (map.put(f[1], new Entry(f[0], admin, expires)) != null) {
                throw new IllegalArgumentException(where + ": this token is already given to another line");
            }
        }
        return map;
    }

    /** The holder of {@code token} if it is listed and not expired. */
    public Optional<Entry> lookup(String token) {
        reloadIfChanged();
        for (Map.Entry<String, Entry> e : tokens.entrySet()) {
            if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                Entry entry = e.getValue();
                return entry.expires() != null && Instant.now().isAfter(entry.expires()) ? Optional.empty() : Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code token} is listed but past its expiry (for the error message). */
    public boolean isExpired(String token) {
        Entry e = tokens.get(token);
        return e != null && e.expires() != null && Instant.now().isAfter(e.expires());
    }

    private void reloadIfChanged() {
        long now = System.currentTimeMillis();
        if (now - checkedAt < 1000) {
            return;
        }
        checkedAt = now;
        try {
            long m = Files.getLastModifiedTime(file).toMillis();
            if (m != modified) {
                tokens = parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
                modified = m;
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("optbench server: keeping the previous tokens: " + e.getMessage());
            try {
                modified = Files.getLastModifiedTime(file).toMillis();
            } catch (IOException gone) {
                tokens = Map.of();
            }
        }
    }

    /** Forces the next lookup to check the file (tests change it within one second). */
    public void recheck() {
        checkedAt = 0;
    }
}
