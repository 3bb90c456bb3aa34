package org.optbench.cli.remote;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;
import org.optbench.server.auth.AuthInterceptor;

/** Call credentials that put {@code authorization: Bearer <token>} on every call. */
public final class BearerToken extends CallCredentials {

    private final String token;

    public BearerToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token: pass --token, set OPTBENCH_TOKEN, or put token= in the client config");
        }
        this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
        try {
            applier.apply(m);
        } catch (RuntimeException e) {
            applier.fail(Status.UNAUTHENTICATED.withCause(e));
        }
    }
}
