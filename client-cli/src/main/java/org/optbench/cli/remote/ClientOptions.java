package org.optbench.cli.remote;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the sweep commands send their calls: {@code --server host:port} (with a token from
 * {@code --token}, {@code --token-file}, the {@code OPTBENCH_TOKEN} environment variable, or
 * {@code token=} in the client config file) or, without a server, an in-process server on the local store. The config
 * file is {@code $OPTBENCH_CONFIG} or {@code ~/.config/optbench/client.properties} and may also
 * give {@code server=} and {@code tls_ca=}. Every call has a deadline.
 */
public final class ClientOptions {

    @Option(names = "--server", description = "host:port of an optbench server (default: an in-process server on the local store)")
    String server;

    @Option(names = "--token", description = "bearer token (visible to other users in ps: prefer --token-file, "
            + "$OPTBENCH_TOKEN or token= in the config file)")
    String token;

    @Option(names = "--token-file", description = "file whose first line is the bearer token")
    Path tokenFile;

    @Option(names = "--tls", description = "connect with TLS (trusting the system's CAs, or --tls-ca)")
    boolean tls;

    @Option(names = "--tls-ca", description = "PEM file of the CA that signed the server's certificate (implies --tls)")
    Path tlsCa;

    @Option(names = "--deadline", defaultValue = "30", description = "seconds each call may take (default ${DEFAULT-VALUE})")
    int deadlineSeconds;

    private Properties config;

    /** The server address, or null for the embedded server. */
    public String server() {
        return server != null ? server : config().getProperty("server");
    }

    public String token() {
        if (token != null) {
            return token;
        }
        if (tokenFile != null) {
            return Secrets.firstLine(tokenFile, "--token-file");
        }
        String env = System.getenv("OPTBENCH_TOKEN");
        return env != null && !env.isBlank() ? env.trim() : config().getProperty("token");
    }

    public Path tlsCa() {
        if (tlsCa != null) {
            return tlsCa;
        }
        String ca = config().getProperty("tls_ca");
        return ca == null ? null : Path.of(ca);
    }

    public boolean tls() {
        return tls || tlsCa() != null;
    }

    public int deadlineSeconds() {
        if (deadlineSeconds < 1) {
            throw new IllegalArgumentException("--deadline " + deadlineSeconds + " must be at least 1 second");
        }
        return deadlineSeconds;
    }

    private Properties config() {
        if (config == null) {
            config = new Properties();
            String explicit = System.getenv("OPTBENCH_CONFIG");
            Path file = explicit != null ? Path.of(explicit)
                    : Path.of(System.getProperty("user.home"), ".config", "optbench", "client.properties");
            if (Files.isRegularFile(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    config.load(r);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read the client config " + file + ": " + e.getMessage(), e);
                }
            } else if (explicit != null) {
                throw new IllegalArgumentException("OPTBENCH_CONFIG names " + file + ", which does not exist");
            }
        }
        return config;
    }
}
