package org.optbench.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a request whose bytes are not the method's message into INVALID_ARGUMENT, with no stack
 * trace and at most one log line a minute, instead of grpc-java's UNKNOWN and a stack trace per
 * call. It sits outside a service whose messages are parsed inside its listener
 * ({@code ServerInterceptors.useInputStreamMessages}), where the parse failure surfaces.
 */
final class MalformedRequests implements ServerInterceptor {

    private static final long LOG_EVERY_MILLIS = 60_000;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong loggedAt = new AtomicLong();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean rejected;

            @Override
            public void onMessage(Q message) {
                if (rejected) {
                    return;
                }
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException e) {
                    if (!isParseFailure(e)) {
                        throw e;
                    }
                    rejected = true;
                    report(call.getMethodDescriptor().getFullMethodName());
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + call.getMethodDescriptor().getFullMethodName() + " message"), new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!rejected) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!rejected) {
                    super.onReady();
                }
            }
        };
    }

    private static boolean isParseFailure(StatusRuntimeException e) {
        return e.getStatus().getCode() == Status.Code.INTERNAL
                && e.getStatus().getCause() instanceof com.google.protobuf.InvalidProtocolBufferException;
    }

    private void report(String method) {
        long n = refused.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = loggedAt.get();
        if (now - last >= LOG_EVERY_MILLIS && loggedAt.compareAndSet(last, now)) {
            System.err.println("optbench server: refused a malformed " + method + " request (" + n
                    + " malformed requests so far)");
        }
    }
}
