package org.optbench.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.inprocess.InProcessSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.WorkerServiceGrpc;

/**
 * Maps the bearer token of every call to a {@link Caller}. SweepService calls need a user token
 * from the token file; WorkerService calls need the token minted for the trial named in the
 * {@code x-optbench-trial} header. In the CLI's embedded mode, calls over the in-process
 * transport (never the network) run as the admin user "local" without a token. The dashboard's
 * calls carry a session id instead of a token, honoured on the in-process transport only. Health
 * and reflection calls need no token.
 */
public final class AuthInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> TRIAL = Metadata.Key.of("x-optbench-trial", Metadata.ASCII_STRING_MARSHALLER);
    /** The dashboard's session id, honoured on the in-process transport only. */
    public static final Metadata.Key<String> SESSION = Metadata.Key.of("x-optbench-session", Metadata.ASCII_STRING_MARSHALLER);

    private final TokenFile users;
    private final BiPredicate<String, String> isWorkerToken;
    private final boolean embedded;
    private final WebSessions sessions;

    /**
     * @param users         the user tokens (null: no user may connect over the network)
     * @param isWorkerToken whether a token is the one of a trial's current attempt (trial, token)
     * @param embedded      whether in-process calls run as the local admin without a token
     * @param sessions      the dashboard's sessions, or null when there is no dashboard
     */
    public AuthInterceptor(TokenFile users, BiPredicate<String, String> isWorkerToken, boolean embedded,
                           WebSessions sessions) {
        this.users = users;
        this.isWorkerToken = isWorkerToken;
        this.embedded = embedded;
        this.sessions = sessions;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        boolean sweeps = SweepServiceGrpc.SERVICE_NAME.equals(service);
        boolean workers = WorkerServiceGrpc.SERVICE_NAME.equals(service);
        if (!sweeps && !workers) {
            return next.startCall(call, headers);
        }
        String token = bearer(headers.get(AUTHORIZATION));
        String session = headers.get(SESSION);
        boolean inProcess = isInProcess(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        Caller caller;
        if (session != null && sweeps) {
            Optional<Caller> web = inProcess && sessions != null ? sessions.caller(session) : Optional.empty();
            if (web.isEmpty()) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("the dashboard session has ended; log in again"));
            }
            caller = web.get();
        } else if (workers) {
            String trial = headers.get(TRIAL);
            if (token == null || trial == null || !isWorkerToken.test(trial, token)) {
                return refuse(call, Status.UNAUTHENTICATED.withDescription("worker reports need the token minted for trial "
                        + trial + " (its attempt may have been replaced)"));
            }
            caller = Caller.worker(trial);
        } else if (token == null && embedded && inProcess) {
            caller = Caller.localUser();
        } else if (token == null) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("no token: pass --token, set OPTBENCH_TOKEN, "
                    + "or put token= in the client config file"));
        } else {
            Optional<Caller> user = users == null ? Optional.empty() : Caller.forToken(users, token);
            if (user.isEmpty()) {
                boolean expired = users != null && users.isExpired(token);
                return refuse(call, Status.UNAUTHENTICATED.withDescription(expired ? "the token has expired; ask the "
                        + "server's operator for a new one" : "unknown or revoked token"));
            }
            caller = user.get();
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }

    private static boolean isInProcess(SocketAddress remote) {
        return remote instanceof InProcessSocketAddress;
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = header.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
