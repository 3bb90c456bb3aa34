package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optbench server} as a process: it listens on loopback unless told otherwise, and says when it is exposed without TLS. */
class ServerCommandTest {

    @TempDir
    Path dir;

    /** Starts a server, waits for its "listening" line, stops it; returns {stdout, stderr}. */
    private String[] serve(String... extra) throws Exception {
        Path tokens = dir.resolve("tokens.txt");
        Files.writeString(tokens, "alice 0123456789abcdef0123\n");
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--tokens", tokens.toString(), "--no-default-corpus", "--runs-dir",
                dir.resolve("runs").toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !Files.readString(out).contains("listening on") && p.isAlive()) {
                Thread.sleep(100);
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
        return new String[] {Files.readString(out), Files.readString(err)};
    }

    @Test
    void listensOnLoopbackByDefaultAndWarnsWhenExposedWithoutTls() throws Exception {
        String[] local = serve();
        assertTrue(local[0].contains("optbench server listening on 127.0.0.1:"), local[0] + local[1]);
        assertFalse(local[1].contains("without TLS"), local[1]);
        String[] exposed = serve("--bind", "0.0.0.0");
        assertTrue(exposed[0].contains("listening on 0.0.0.0:"), exposed[0] + exposed[1]);
        assertTrue(exposed[1].contains("warning: listening on 0.0.0.0 without TLS"), exposed[1]);
    }
}
