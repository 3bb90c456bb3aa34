package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optbench server} as a process: it listens on loopback unless told otherwise, and says when it is exposed without TLS. */
class ServerCommandTest {

    private static final String TOKEN = "0123456789abcdef0123";

    @TempDir
    Path dir;

    /** Starts a server, waits for its "listening" line, runs {@code whileUp} with its port, stops it; returns {stdout, stderr}. */
    private String[] serve(java.util.function.IntConsumer whileUp, String... extra) throws Exception {
        Path tokens = dir.resolve("tokens.txt");
        Files.writeString(tokens, "alice " + TOKEN + "\n");
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> cmd = CliProcess.command("server", "--port", "0", "--tokens", tokens.toString(), "--no-default-corpus",
                "--runs-dir", dir.resolve("runs").toString());
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !Files.readString(out).contains("listening on") && p.isAlive()) {
                Thread.sleep(100);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on [^:]+:(\\d+)").matcher(Files.readString(out));
            if (m.find()) {
                whileUp.accept(Integer.parseInt(m.group(1)));
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
        return new String[] {Files.readString(out), Files.readString(err)};
    }

    @Test
    void listensOnLoopbackByDefaultAndWarnsWhenExposedWithoutTls() throws Exception {
        String[] local = serve(port -> { });
        assertTrue(local[0].contains("optbench server listening on 127.0.0.1:"), local[0] + local[1]);
        assertFalse(local[1].contains("without TLS"), local[1]);
        String[] exposed = serve(port -> { }, "--bind", "0.0.0.0");
        assertTrue(exposed[0].contains("listening on 0.0.0.0:"), exposed[0] + exposed[1]);
        assertTrue(exposed[1].contains("warning: listening on 0.0.0.0 without TLS"), exposed[1]);
    }

    @Test
    void aClientTakesItsTokenFromAFileSoThatPsDoesNotShowIt() throws Exception {
        Path good = dir.resolve("token");
        Files.writeString(good, TOKEN + "\n");
        Path bad = dir.resolve("wrong");
        Files.writeString(bad, "not-the-token-at-all-000\n");
        int[] codes = new int[2];
        serve(port -> {
            try {
                codes[0] = CliProcess.run(dir, java.util.Map.of(), 60, "sweep", "list", "--server", "127.0.0.1:" + port,
                        "--token-file", good.toString()).code();
                codes[1] = CliProcess.run(dir, java.util.Map.of(), 60, "sweep", "list", "--server", "127.0.0.1:" + port,
                        "--token-file", bad.toString()).code();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(0, codes[0], "the token from the file is accepted");
        assertEquals(3, codes[1], "a wrong token from a file is refused as any wrong token");
    }
}
