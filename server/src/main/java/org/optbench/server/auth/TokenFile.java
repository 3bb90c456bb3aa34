package org.optbench.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.optbench.sweep.SweepCoordinator.UserQuota;

/**
 * The server's user tokens: one {@code user token [role] [expires=INSTANT] [max-workers=N]
 * [max-sweeps=N] [max-trials=N] [max-upload-bytes=SIZE]} per line, role {@code user} (the
 * default) or {@code admin}, the limits the user's own in place of the server's defaults
 * ({@link UserQuota}; a user's lines should agree, the first wins), {@code #} starting a comment. The file is read
 * again when its content changes (checked at most once a second by its SHA-256, so an edit that
 * keeps the modification time is seen too), and removing a line revokes its token without a
 * restart. At start-up a line that does not parse is an error naming the file and line; while
 * the server runs, the lines of an edit that parse take effect and the broken ones are reported
 * and ignored, so a broken edit never keeps a removed token alive. A file that disappears revokes
 * every token until it is back. A file others may read is reported.
 */
public final class TokenFile {

    /** A token's holder, role, optional expiry and the holder's own limits. */
    public record Entry(String user, boolean admin, Instant expires, UserQuota quota) {
    }

    private static final String LINE = "'user token [role] [expires=INSTANT] [max-workers=N] [max-sweeps=N] [max-trials=N] "
            + "[max-upload-bytes=SIZE]'";

    private final Path file;
    private volatile Map<String, Entry> tokens;
    private volatile String digest;
    private volatile long checkedAt;

    private TokenFile(Path file, Map<String, Entry> tokens, String digest) {
        this.file = file;
        this.tokens = tokens;
        this.digest = digest;
    }

    /** Reads {@code file}; errors name the file and line. A file that group or others may read is reported. */
    public static TokenFile load(Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            warnIfShared(file);
            return new TokenFile(file, parse(file, lines(content), null), sha256(content));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void warnIfShared(Path file) {
        try {
            var perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                System.err.println("optbench server: warning: the token file " + file + " can be read by other users ("
                        + PosixFilePermissions.toString(perms) + "); make it private with 'chmod 600 " + file + "'");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no POSIX permissions to check
        }
    }

    private static List<String> lines(byte[] content) {
        return new String(content, StandardCharsets.UTF_8).lines().toList();
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * The tokens of {@code lines}. With {@code broken} null a bad line is an error; otherwise bad
     * lines are skipped and their messages added to {@code broken}.
     */
    static Map<String, Entry> parse(Path file, List<String> lines, List<String> broken) {
        Map<String, Entry> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                parseLine(file, i, lines.get(i), map);
            } catch (IllegalArgumentException e) {
                if (broken == null) {
                    throw e;
                }
                broken.add(e.getMessage());
            }
        }
        return map;
    }

    private static void parseLine(Path file, int i, String line, Map<String, Entry> map) {
        int hash = line.indexOf('#');
        String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
        if (f.length == 1 && f[0].isEmpty()) {
            return;
        }
        String where = file + ":" + (i + 1);
        if (f.length < 2 || f.length > 8) {
            throw new IllegalArgumentException(where + ": expected " + LINE);
        }
        boolean admin = false;
        Instant expires = null;
        Map<String, String> limits = new java.util.LinkedHashMap<>();
        for (int k = 2; k < f.length; k++) {
            String key = f[k].contains("=") ? f[k].substring(0, f[k].indexOf('=')) : "";
            if (UserQuota.KEYS.contains(key)) {
                limits.put(key, f[k].substring(key.length() + 1));
            } else if (f[k].startsWith("expires=")) {
                try {
                    expires = Instant.parse(f[k].substring("expires=".length()));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(where + ": expiry '" + f[k] + "' is not an ISO instant such as "
                            + "expires=2027-01-31T00:00:00Z");
                }
            } else if (f[k].equals("admin") || f[k].equals("user")) {
                admin = f[k].equals("admin");
            } else if (f[k].contains("=")) {
                throw new IllegalArgumentException(where + ": '" + f[k] + "' is not a setting of " + LINE);
            } else {
                throw new IllegalArgumentException(where + ": role '" + f[k] + "' must be user or admin");
            }
        }
        if (f[1].length() < 16) {
            throw new IllegalArgumentException(where + ": the token of " + f[0] + " is shorter than 16 characters; "
                    + "make one with 'openssl rand -hex 24'");
        }
        if (map.containsKey(f[1])) {
            map.remove(f[1]);
            throw new IllegalArgumentException(where + ": this token is already given to another line");
        }
        UserQuota quota;
        try {
            quota = UserQuota.of(limits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        map.put(f[1], new Entry(f[0], admin, expires, quota));
    }

    /** {@code user}'s own limits: those of the first of their lines that sets any, else none. */
    public UserQuota quotaOf(String user) {
        reloadIfChanged();
        return tokens.values().stream().filter(e -> e.user().equals(user) && !e.quota().equals(UserQuota.NONE))
                .map(Entry::quota).findFirst().orElse(UserQuota.NONE);
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

    private synchronized void reloadIfChanged() {
        long now = System.currentTimeMillis();
        if (now - checkedAt < 1000) {
            return;
        }
        checkedAt = now;
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            if (!tokens.isEmpty() || digest != null) {
                System.err.println("optbench server: the token file " + file + " cannot be read (" + e.getMessage()
                        + "): every user token is revoked until it is back");
            }
            tokens = Map.of();
            digest = null;
            return;
        }
        String d = sha256(content);
        if (d.equals(digest)) {
            return;
        }
        List<String> broken = new java.util.ArrayList<>();
        tokens = parse(file, lines(content), broken);
        digest = d;
        broken.forEach(b -> System.err.println("optbench server: ignoring a broken line of the token file: " + b));
        warnIfShared(file);
    }

    /** Forces the next lookup to check the file (tests change it within one second). */
    public void recheck() {
        checkedAt = 0;
    }
}
