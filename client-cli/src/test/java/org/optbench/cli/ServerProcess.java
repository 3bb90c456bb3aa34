package org.optbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code optbench server} run as a user runs it: a child JVM on this build, started with the given
 * arguments and read back from its real stdout until it says where it listens (and, with
 * {@code --http-port}, the dashboard's login URL); destroyed on close.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;
    private final int port;
    private final String loginUrl;

    private ServerProcess(Process process, Path out, Path err, int port, String loginUrl) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.port = port;
        this.loginUrl = loginUrl;
    }

    /** Starts {@code optbench server args...} in {@code dir} and waits up to a minute for it to listen. */
    static ServerProcess start(Path dir, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "server", ".out");
        Path err = Files.createTempFile(dir, "server", ".err");
        Process p = new ProcessBuilder(CliProcess.command(prepend("server", args))).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean dashboard = List.of(args).contains("--http-port");
        long deadline = System.currentTimeMillis() + 60_000;
        Matcher listening = null;
        Matcher login = null;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            String text = Files.readString(out);
            listening = Pattern.compile("listening on [^ ]+:(\\d+) ").matcher(text);
            login = Pattern.compile("dashboard: (http://\\S+)").matcher(text);
            if (listening.find() && (!dashboard || login.find())) {
                return new ServerProcess(p, out, err, Integer.parseInt(listening.group(1)), dashboard ? login.group(1) : null);
            }
            Thread.sleep(100);
        }
        p.destroyForcibly().waitFor();
        throw new AssertionError("optbench server did not start: " + Files.readString(out) + Files.readString(err));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** The gRPC port. */
    int port() {
        return port;
    }

    /** The one-time login URL the server printed. */
    String loginUrl() {
        return loginUrl;
    }

    /** The dashboard's base URL, {@code http://host:port}. */
    String dashboard() {
        return loginUrl.substring(0, loginUrl.indexOf("/login"));
    }

    /** Everything the server printed on stderr so far. */
    String err() throws java.io.IOException {
        return Files.readString(err);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
    }
}
