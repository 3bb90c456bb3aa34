package org.optbench.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.server.auth.TokenFile;

/** The token file while a server runs: edits are seen by content, broken edits revoke, a vanished file revokes all. */
class TokenFileTest {

    private static final String ALICE = "alice-token-0123456789";
    private static final String BOB = "bob-token-0123456789ab";

    @TempDir
    Path dir;

    /** Runs {@code body} and returns what it printed on stderr. */
    private static String stderrOf(Runnable body) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            body.run();
        } finally {
            System.setErr(before);
        }
        return err.toString();
    }

    @Test
    void aUsersLineMaySetTheirOwnLimits() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "alice " + ALICE + " user max-workers=2 max-sweeps=3 max-trials=20000 max-upload-bytes=8g\n"
                + "bob " + BOB + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        TokenFile tokens = TokenFile.load(f);
        org.junit.jupiter.api.Assertions.assertEquals(new org.optbench.sweep.SweepCoordinator.UserQuota(2, 3, 20000L, 8L << 30),
                tokens.quotaOf("alice"));
        org.junit.jupiter.api.Assertions.assertEquals(org.optbench.sweep.SweepCoordinator.UserQuota.NONE, tokens.quotaOf("bob"));
        Files.writeString(f, "alice " + ALICE + " max-workers=lots\n");
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TokenFile.load(f));
        assertTrue(bad.getMessage().endsWith(":1: max-workers=lots must be a positive whole number"), bad.getMessage());
    }

    @Test
    void anEditIsSeenByItsContentEvenWhenItKeepsTheModificationTime() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "alice " + ALICE + "\nbob " + BOB + "\n");
        TokenFile tokens = TokenFile.load(f);
        FileTime time = Files.getLastModifiedTime(f);
        assertTrue(tokens.lookup(BOB).isPresent());
        Files.writeString(f, "alice " + ALICE + "\n");
        Files.setLastModifiedTime(f, time);   // as cp -p leaves it
        tokens.recheck();
        assertFalse(tokens.lookup(BOB).isPresent(), "bob's removed line revokes his token");
        assertTrue(tokens.lookup(ALICE).isPresent());
    }

    @Test
    void aBrokenEditNeverKeepsARemovedTokenAlive() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "alice " + ALICE + "\nbob " + BOB + "\n");
        TokenFile tokens = TokenFile.load(f);
        Files.writeString(f, "alice " + ALICE + " superuser\n");   // bob removed, alice's line broken
        tokens.recheck();
        String err = stderrOf(() -> assertFalse(tokens.lookup(BOB).isPresent(), "bob was removed"));
        assertTrue(err.contains("ignoring a broken line of the token file") && err.contains("role 'superuser'"), err);
        assertFalse(tokens.lookup(ALICE).isPresent(), "a broken line grants nothing");
        Files.writeString(f, "alice " + ALICE + "\n");
        tokens.recheck();
        assertTrue(tokens.lookup(ALICE).isPresent(), "the fixed line works again");
    }

    @Test
    void aVanishedFileRevokesEveryTokenAndSaysSo() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "alice " + ALICE + "\n");
        TokenFile tokens = TokenFile.load(f);
        Files.delete(f);
        tokens.recheck();
        String err = stderrOf(() -> assertFalse(tokens.lookup(ALICE).isPresent()));
        assertTrue(err.contains("cannot be read") && err.contains("every user token is revoked until it is back"), err);
        Files.writeString(f, "alice " + ALICE + "\n");
        tokens.recheck();
        assertTrue(tokens.lookup(ALICE).isPresent(), "back again");
    }

    @Test
    void aFileOthersMayReadIsReported() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "alice " + ALICE + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        String shared = stderrOf(() -> TokenFile.load(f));
        assertTrue(shared.contains("can be read by other users (rw-r--r--)") && shared.contains("chmod 600"), shared);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertFalse(stderrOf(() -> TokenFile.load(f)).contains("can be read"), "a private file is quiet");
    }
}
