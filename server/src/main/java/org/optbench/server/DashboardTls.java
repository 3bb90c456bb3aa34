package org.optbench.server;

import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import javax.net.ssl.SSLContext;

/**
 * The dashboard's TLS: the server's own PEM certificate chain and key, read by the same Netty
 * code that gRPC's TLS uses, as a JDK {@link SSLContext} for the HTTP server.
 */
final class DashboardTls {

    private DashboardTls() {
    }

    static SSLContext context(File certChain, File key) throws IOException {
        var built = SslContextBuilder.forServer(certChain, key).sslProvider(SslProvider.JDK).build();
        return ((JdkSslContext) built).context();
    }
}
